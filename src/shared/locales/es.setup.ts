import type { enSetup } from './en.setup';

export const esSetup: typeof enSetup = {
  consent: {
    waiting:
      'Termina en la ventana de Zoom que se abrió. Esta página mostrará la conexión por sí sola en cuanto Zoom esté conectado.',
    stoppedWaiting:
      'Esta página dejó de esperar a Zoom. Si conectaste Zoom en la otra ventana, vuelve a cargar esta página.',
  },
  connected: {
    close:
      'Puedes cerrar esta ventana: la página de la conexión con Zoom de tu curso muestra la conexión por sí sola.',
    openHere: 'O <a href="{{url}}">abre aquí la página de la conexión con Zoom</a>.',
  },
};

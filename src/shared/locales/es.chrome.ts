import type { enChrome } from './en.chrome';

export const esChrome: typeof enChrome = {
  product: 'Reuniones de clase en Zoom',
  context: '{{course}} · {{school}}',
  sandbox: {
    label: 'ENTORNO DE PRUEBAS',
    detail: 'un LMS emulado y un Zoom simulado: aquí nada es real',
  },
};

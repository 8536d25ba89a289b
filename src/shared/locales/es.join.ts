import type { enJoin } from './en.join';

/** Spanish texts of the join area (wired into es.ts as `join`). */
export const esJoin: typeof enJoin = {
  title: 'Entrando a «{{topic}}»',
  heading: 'Obteniendo tu enlace personal…',
  waiting:
    'Estamos pidiendo a Zoom tu enlace personal a «{{topic}}», para que tu asistencia quede registrada. Esta página lo abrirá en cuanto esté listo.',
  checkAgain: 'Comprobar de nuevo',
  plainHeading: '¿Tarda demasiado?',
  plainText:
    'Puedes entrar con el enlace general de la reunión. Zoom te pedirá tu nombre y tu correo: escribe el correo con el que te conoce tu institución, o puede que tu asistencia no se registre.',
  plainLink: 'Entrar a «{{topic}}» con el enlace general',
  noScript: 'Si no pasa nada, usa «Comprobar de nuevo».',
  deletedHeading: 'Esta reunión se eliminó',
  deleted: 'La reunión «{{topic}}» que abre este enlace se eliminó.',
  back: 'Volver a las reuniones del curso',
};

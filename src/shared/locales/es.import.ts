import type { enImport } from './en.import';

/** Spanish texts of importing meetings from Zoom (wired into es.ts as `import`). */
export const esImport: typeof enImport = {
  title: 'Traer una reunión de Zoom',
  heading: 'Traer una reunión que ya tiene en Zoom',
  intro:
    'Añada a este curso una de sus propias reuniones de Zoom: los estudiantes la verán con las demás reuniones del curso, y sus grabaciones y la asistencia funcionan como en una reunión programada aquí. Sigue siendo la misma reunión en Zoom, con el mismo enlace.',
  yoursHeading: 'Sus próximas reuniones en Zoom',
  none: 'No tiene ninguna reunión próxima en la cuenta de Zoom de su institución que no use ya un curso. Una reunión sin hora fija no se puede añadir: asígnele primero una hora en Zoom.',
  nextOccurrence: 'Próxima: {{when}}',
  minutes: '{{count}} min',
  series: 'Periódica',
  meetingId: 'ID de reunión {{id}}',
  add: 'Añadir a este curso',
  pasteHeading: 'Añadir por ID o enlace de la reunión',
  pasteLabel: 'ID de la reunión o enlace para unirse',
  pasteHint:
    'Por ejemplo 123 4567 8901 o https://escuela.zoom.us/j/12345678901. Solo una reunión de la que usted es anfitrión.',
  pasteSubmit: 'Añadir reunión',
  backToCourse: 'Volver a las reuniones de clase',
  added: '«{{topic}}» ya es una reunión de este curso.',
  already: '«{{topic}}» ya era una reunión de este curso: no se cambió nada.',
  registrationFailed:
    'Zoom no activó el registro para ella, así que todavía no se puede tomar su asistencia: edite la reunión aquí una vez para intentarlo de nuevo.',
  refused: {
    invalid:
      'Eso no es un ID ni un enlace de reunión de Zoom. No se añadió nada. Pegue el ID de la reunión (de 9 a 11 dígitos) o el enlace para unirse de Zoom.',
    notFound:
      'La cuenta de Zoom de su institución no tiene esa reunión (se eliminó o pertenece a otra cuenta de Zoom). No se añadió nada. Compruebe el ID o programe la reunión aquí.',
    notHost:
      'Usted no es el anfitrión de esa reunión (un anfitrión alternativo no es su anfitrión). No se añadió nada. Pida a su anfitrión que la añada al curso.',
    here: 'Esa reunión ya es una reunión de este curso. No se cambió nada.',
    elsewhere:
      'Otro curso de su institución ya tiene esa reunión. No se añadió nada. Una reunión pertenece a un solo curso: programe una nueva para este curso.',
    over: 'Esa reunión ya terminó (no tiene ningún inicio por delante). No se añadió nada. Programe una reunión nueva para este curso.',
    noFixedTime:
      'Esa reunión no tiene hora fija, así que el curso no podría mostrar cuándo es. No se añadió nada. Asígnele una hora en Zoom o prográmela aquí.',
  },
  cardHeading: 'Traer una reunión que ya tiene en Zoom',
  cardText:
    '¿Ya programó una reunión de clase en Zoom? Añádala a este curso en lugar de programarla otra vez.',
  cardLink: 'Elegir una reunión de Zoom',
};

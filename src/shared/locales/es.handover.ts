import type { enHandover } from './en.handover';

/** Textos en español de las clases cuyo anfitrión se fue y su traspaso (en es.ts como `handover`). */
export const esHandover: typeof enHandover = {
  cardHeading: 'Clases sin anfitrión',
  cardIntro:
    'El anfitrión de estas clases se fue. Los estudiantes las siguen viendo, pero nadie puede iniciarlas hasta que otro docente de este curso las tome.',
  reason: {
    dropped: '{{name}} ya no está en este curso ({{date}}).',
    deactivated: 'El usuario de Zoom de {{name}} fue desactivado ({{date}}).',
    deleted: 'El usuario de Zoom de {{name}} fue eliminado ({{date}}).',
    not_found: 'Zoom ya no tiene el usuario de {{name}} ({{date}}).',
  },
  someone: 'El anfitrión',
  handOne: 'Traspasar «{{topic}}»',
  handAll: 'Traspasarlas todas',
  title: 'Traspasar clases',
  heading: 'Traspasar las clases sin anfitrión',
  intro:
    'Elige a otro docente de este curso como anfitrión. Zoom le pasa cada clase y esta conserva su enlace; una clase que Zoom ya no tiene (su anfitrión fue eliminado) se crea de nuevo con la misma configuración y un enlace nuevo, y los estudiantes ven que su enlace cambió.',
  meetingsHeading: 'Clases',
  when: 'Próxima: {{when}}',
  series: 'Periódica',
  wasHost: 'Anfitrión: {{name}}',
  toLabel: 'Nuevo anfitrión',
  toHint: 'Docentes de este curso con un usuario de Zoom activo y con licencia.',
  noCandidates:
    'Nadie puede tomarlas todavía: ningún otro docente de este curso tiene un usuario de Zoom activo y con licencia. Pide al administrador de Zoom de tu institución que asigne una licencia y vuelve después.',
  submit: 'Traspasar',
  none: 'Todas las clases de este curso tienen anfitrión.',
  done: {
    moved_one: '{{count}} clase pasó a su nuevo anfitrión; su enlace no cambió.',
    moved_other: '{{count}} clases pasaron a su nuevo anfitrión; sus enlaces no cambiaron.',
    recreated_one:
      '{{count}} clase se creó de nuevo con su nuevo anfitrión: los estudiantes ven que su enlace cambió.',
    recreated_other:
      '{{count}} clases se crearon de nuevo con su nuevo anfitrión: los estudiantes ven que sus enlaces cambiaron.',
    pending_one: '{{count}} clase aún se está traspasando: Zoom no respondió todavía. Terminará sola.',
    pending_other: '{{count}} clases aún se están traspasando: Zoom no respondió todavía. Terminarán solas.',
  },
  backToCourse: 'Volver a las clases',
  linkChanged: 'El enlace de esta clase cambió el {{date}}.',
  adminHeading: 'Clases sin anfitrión',
  adminIntro:
    'Clases de los cursos de tu institución cuyo anfitrión se fue (dado de baja del curso, o desactivado o eliminado en Zoom). Un docente de cada curso las traspasa desde la página del curso.',
  adminNone: 'Todas las clases tienen anfitrión.',
  adminCourse: 'Curso',
  adminMeeting: 'Clase',
  adminWhy: 'Motivo',
};

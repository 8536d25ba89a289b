import type { enCourse } from './en.course';

export const esCourse: typeof enCourse = {
  schedule: 'Programar una clase',
  closeForm: 'Cerrar el formulario',
  tabsLabel: 'Clases por Zoom',
  tabs: {
    upcoming: 'Próximas ({{count}})',
    past: 'Anteriores ({{count}})',
    recordings: 'Grabaciones ({{count}})',
  },
  recordingsHeading: 'Grabaciones',
  noRecordings: 'Todavía no hay grabaciones.',
  noRecordingsStudent: 'Todavía no hay grabaciones compartidas. Tu profesor elige cuáles ves.',
  recordingOf: '{{topic}}, {{when}}',
  watch: 'Ver',
  watchLabel: 'Ver la grabación de «{{topic}}» del {{when}} (se abre en una ventana nueva)',
  sharedWithStudents: 'Los estudiantes la ven',
  notSharedWithStudents: 'Los estudiantes no la ven',
  meetingId: 'ID de reunión: {{id}}',
  copyCtrl: 'La invitación está seleccionada: pulsa Ctrl+C para copiarla.',
  copyCmd: 'La invitación está seleccionada: pulsa ⌘C para copiarla.',
  invitationText: 'Invitación a «{{topic}}»',
  allMeetings: 'Todas las clases de este curso',
  placed: {
    heading: 'Esta clase no está disponible aquí',
    student: 'Esta clase ya no está disponible aquí; pregunta a tu profesor.',
    deleted: 'La clase «{{topic}}» que abre este enlace se eliminó.',
    elsewhere:
      'La clase que abre este enlace no es de este curso: pertenece al curso donde se colocó el enlace (por ejemplo, este curso se copió de otro), o se eliminó.',
    whatToDo:
      'Coloca otra clase aquí con el selector de contenido de tu LMS (añade una actividad o recurso y elige Zoom), o envía a los estudiantes a la lista de clases de este curso.',
    openList: 'Abrir las clases de este curso',
  },
};

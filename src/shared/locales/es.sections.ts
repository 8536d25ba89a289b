import type { enSectionErrors, enSections } from './en.sections';

/** Textos en español de la co-docencia y las secciones (en es.ts como `sections`; sus errores del formulario en `meetings.errors`). */
export const esSections: typeof enSections = {
  rule: 'Todo el profesorado de este curso puede editar y eliminar sus reuniones y ver su asistencia, las haya programado quien las haya programado; solo el anfitrión y los anfitriones alternativos pueden iniciarlas.',
  form: {
    legend: '¿Para quién es?',
    wholeCourse: 'Todo el curso',
    onlySections: 'Solo estas secciones:',
    hint: 'Los estudiantes ven solo las reuniones de sus propias secciones y las de todo el curso.',
  },
  label_one: 'Sección: {{names}}',
  label_other: 'Secciones: {{names}}',
  startAlternative: 'Iniciar como anfitrión alternativo',
  startAlternativeLabel: 'Iniciar «{{topic}}» como anfitrión alternativo',
  startAlternativeHint:
    'Inicia sesión en Zoom con tu propia cuenta cuando se abra: Zoom convierte en anfitrión al anfitrión alternativo.',
  notHost: 'Solo su anfitrión y los anfitriones alternativos pueden iniciarla.',
  otherSection: {
    heading: 'Esta reunión es para otra sección',
    text: '«{{topic}}» es para {{names}}, y este curso te tiene en otra sección.',
    next: 'Tus reuniones están en la página del curso. Si tu sección no es correcta, pide a tu profesor que revise tu matrícula.',
    open: 'Abrir las reuniones del curso',
  },
};

export const esSectionErrors: typeof enSectionErrors = {
  sections_required: 'Elige al menos una sección, o elige Todo el curso.',
  sections_invalid: 'Elige secciones de la lista.',
};

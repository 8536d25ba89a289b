import type { enNextTerm } from './en.nextterm';

/** Textos en español del próximo periodo (en es.ts como `nextTerm`). */
export const esNextTerm: typeof enNextTerm = {
  title: 'Reuniones del periodo anterior',
  heading: 'Traer las reuniones de clase del periodo anterior',
  card: {
    heading: 'Reuniones del periodo anterior',
    copied: 'Este curso se copió de {{title}}. ¿Traer sus reuniones de clase?',
    choose: 'Elegir qué reuniones traer, con fechas nuevas',
  },
  intro:
    'Este curso se copió de {{title}}. Marca las reuniones que quieres volver a programar en este curso y da a cada una su nueva primera fecha; el día de la semana, la hora, la duración, la repetición y la configuración se mantienen.',
  nothingElse:
    'Cada una será una reunión de Zoom nueva, con su propio enlace y código de acceso. No se trae nada más: ni la asistencia, ni las grabaciones, ni los estudiantes, ni los registros del periodo anterior.',
  legend: 'Reuniones del periodo anterior',
  duration: '{{minutes}} min',
  firstDate: 'Nueva primera fecha',
  date: 'Nueva fecha',
  at: 'a las {{time}}, en la zona horaria de la reunión',
  count: 'Número de sesiones',
  hostNote: 'Serás el anfitrión de las reuniones nuevas, con tu propio usuario de Zoom.',
  bring: 'Traer las reuniones marcadas',
  dismiss: 'No, gracias',
  dismissHint: 'Esta oferta no volverá a mostrarse; puedes seguir programando reuniones tú.',
  done_one: 'Se trajo {{count}} reunión de clase. Está en la página del curso con su enlace nuevo.',
  done_other:
    'Se trajeron {{count}} reuniones de clase. Están en la página del curso con sus enlaces nuevos.',
  refusedHeading:
    'Estas reuniones no se trajeron (las demás sí). Corrige lo indicado y envía el formulario de nuevo:',
  errors: {
    heading: 'Revisa el formulario:',
    noneChosen: 'Marca al menos una reunión para traer, o elige «No, gracias».',
    date: 'Escribe la nueva fecha completa (año, mes y día).',
    datePast: 'La nueva fecha ya pasó: elige una fecha a partir de hoy.',
    count: 'Escribe un número de sesiones del 1 al 50 (el límite de Zoom para una serie).',
  },
};

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
    'Este curso se copió de {{title}}. Marque las reuniones que quiere volver a programar en este curso y dé a cada una su nueva primera fecha; el día de la semana, la hora, la duración, la repetición y la configuración se mantienen.',
  nothingElse:
    'Cada una será una reunión de Zoom nueva, con su propio enlace y código de acceso. No se trae nada más: ni la asistencia, ni las grabaciones, ni los estudiantes, ni los registros del periodo anterior.',
  legend: 'Reuniones del periodo anterior',
  duration: '{{minutes}} min',
  firstDate: 'Nueva primera fecha',
  date: 'Nueva fecha',
  at: 'a las {{time}}, en la zona horaria de la reunión',
  count: 'Número de sesiones',
  hostNote: 'Usted será el anfitrión de las reuniones nuevas, con su propio usuario de Zoom.',
  bring: 'Traer las reuniones marcadas',
  dismiss: 'No, gracias',
  dismissHint: 'Esta oferta no volverá a mostrarse; puede seguir programando reuniones usted mismo.',
  done_one: 'Se trajo {{count}} reunión de clase. Está en la página del curso con su enlace nuevo.',
  done_other:
    'Se trajeron {{count}} reuniones de clase. Están en la página del curso con sus enlaces nuevos.',
  refusedHeading:
    'Estas reuniones no se trajeron (las demás sí). Corrija lo indicado y envíe el formulario de nuevo:',
  errors: {
    heading: 'Revise el formulario:',
    noneChosen: 'Marque al menos una reunión para traer, o elija «No, gracias».',
    date: 'Escriba la nueva fecha completa (año, mes y día).',
    datePast: 'La nueva fecha ya pasó: elija una fecha a partir de hoy.',
    count: 'Escriba un número de sesiones del 1 al 50 (el límite de Zoom para una serie).',
  },
};

import type { enPicker } from './en.picker';

export const esPicker: typeof enPicker = {
  meetingId: 'ID de reunión: {{id}}',
  nextDates: 'Próximas fechas',
  moreDates_one: 'y {{count}} más',
  moreDates_other: 'y {{count}} más',
  ended: 'Terminada',
  none: 'Este curso aún no tiene ninguna clase que añadir: programa una abajo.',
  cancelHint: '¿No quieres añadir nada? Cancelar cierra esta ventana y deja el curso como estaba.',
  cancel: 'Cancelar',
  nothingAdded: 'No se añadió nada al curso.',
  cancelTitle: 'No se añadió nada',
  cancelReturning: 'Volviendo a tu curso…',
  cancelButton: 'Volver al curso',
};

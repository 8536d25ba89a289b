import type { enCalendar } from './en.calendar';

export const esCalendar: typeof enCalendar = {
  placeholder: '',
};

/** English texts of the calendar area (wired into en.ts as `calendar`). */
export const enCalendar = {
  placeholder: '',
};

/** English texts of the series area (wired into en.ts as `series`). */
export const enSeries = {
  placeholder: '',
};

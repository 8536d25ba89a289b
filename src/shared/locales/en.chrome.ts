/** English texts of the chrome area (wired into en.ts as `chrome`). */
export const enChrome = {
  placeholder: '',
};

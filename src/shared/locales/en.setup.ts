/** English texts of the setup area (wired into en.ts as `setup`). */
export const enSetup = {
  placeholder: '',
};

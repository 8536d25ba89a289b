/** English texts of the picker area (wired into en.ts as `picker`). */
export const enPicker = {
  placeholder: '',
};

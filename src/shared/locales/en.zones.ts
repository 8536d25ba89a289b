/** English texts of the zones area (wired into en.ts as `zones`). */
export const enZones = {
  placeholder: '',
};

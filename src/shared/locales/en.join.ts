/** English texts of the join area (wired into en.ts as `join`). */
export const enJoin = {
  // Keys are added here by the work that needs them.
};

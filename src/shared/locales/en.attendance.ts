/** English texts of the attendance area (wired into en.ts as `attendance`). */
export const enAttendance = {
  // Keys are added here by the work that needs them.
};

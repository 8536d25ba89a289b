/** English texts of the course area (wired into en.ts as `course`). */
export const enCourse = {
  placeholder: '',
};

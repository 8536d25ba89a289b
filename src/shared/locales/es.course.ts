import type { enCourse } from './en.course';

export const esCourse: typeof enCourse = {
  placeholder: '',
};

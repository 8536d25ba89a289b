import type { enPicker } from './en.picker';

export const esPicker: typeof enPicker = {
  placeholder: '',
};

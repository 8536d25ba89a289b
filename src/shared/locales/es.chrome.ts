import type { enChrome } from './en.chrome';

export const esChrome: typeof enChrome = {
  placeholder: '',
};

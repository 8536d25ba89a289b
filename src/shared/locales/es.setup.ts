import type { enSetup } from './en.setup';

export const esSetup: typeof enSetup = {
  placeholder: '',
};

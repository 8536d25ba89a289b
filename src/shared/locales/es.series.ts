import type { enSeries } from './en.series';

export const esSeries: typeof enSeries = {
  placeholder: '',
};

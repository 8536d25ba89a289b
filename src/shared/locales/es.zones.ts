import type { enZones } from './en.zones';

export const esZones: typeof enZones = {
  placeholder: '',
};

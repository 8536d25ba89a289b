import type { enZones } from './en.zones';

export const esZones: typeof enZones = {
  search: 'Buscar una zona',
  searchHint:
    'Escribe una ciudad, un país, el nombre de una zona o su diferencia con UTC («+5:30») para acortar la lista.',
  matchesNone: 'Ninguna zona horaria coincide; la zona elegida no cambia.',
  matchesOne: '1 zona horaria coincide',
  matchesMany: '# zonas horarias coinciden',
};

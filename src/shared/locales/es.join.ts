import type { enJoin } from './en.join';

/** Spanish texts of the join area (wired into es.ts as `join`). */
export const esJoin: typeof enJoin = {};

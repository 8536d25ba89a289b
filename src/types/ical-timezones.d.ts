/** @touch4it/ical-timezones' list of the zones it knows: zone name → its file (`Asia/Ho_Chi_Minh.ics`). */
declare module '@touch4it/ical-timezones/zones.js' {
  const zones: Record<string, string>;
  export = zones;
}

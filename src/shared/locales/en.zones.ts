/** English texts of the zones area (wired into en.ts as `zones`): the meeting form's time-zone search. */
export const enZones = {
  search: 'Find a zone',
  searchHint: 'Type a city, a country, a zone’s name or its offset (“+5:30”) to shorten the list.',
  /** `#` stands for the number (the page's script fills it in). */
  matchesNone: 'No time zone matches; the chosen zone stays as it was.',
  matchesOne: '1 time zone matches',
  matchesMany: '# time zones match',
};

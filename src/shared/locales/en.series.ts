/** English texts of the series area (wired into en.ts as `series`). */
export const enSeries = {
  everyDays: 'Every {{count}} days',
  everyWeeks: 'Every {{count}} weeks on {{days}}',
  everyMonths: 'Every {{count}} months on day {{day}}',
  everyMonthsLastDay: 'Every {{count}} months on day {{day}} (the last day in shorter months)',
  /** The rule's wall time named by the meeting's zone, when the viewer is elsewhere. */
  atInZone: '{{time}} {{zone}} time',
  endsAfter_one: '{{count}} occurrence',
  endsAfter_other: '{{count}} occurrences',
  endsOn: 'until {{date}}',
  andMore_one: 'and {{count}} more',
  andMore_other: 'and {{count}} more',
};

/** Spanish texts of the series area (wired into es.ts as `series`). */
export const esSeries = {
  everyDays: 'Cada {{count}} días',
  everyWeeks: 'Cada {{count}} semanas: {{days}}',
  everyMonths: 'Cada {{count}} meses el día {{day}}',
  everyMonthsLastDay: 'Cada {{count}} meses el día {{day}} (el último día en los meses más cortos)',
  atInZone: '{{time}}, hora de {{zone}}',
  endsAfter_one: '{{count}} sesión',
  endsAfter_other: '{{count}} sesiones',
  endsOn: 'hasta el {{date}}',
  andMore_one: 'y {{count}} más',
  andMore_other: 'y {{count}} más',
};

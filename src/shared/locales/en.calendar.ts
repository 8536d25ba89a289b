/** English texts of the calendar area (wired into en.ts as `calendar`). */
export const enCalendar = {
  subscribe: 'Subscribe in your calendar app',
  address: 'Calendar address',
  addressHint: 'Paste it where your calendar app asks for a calendar’s URL.',
  copy: 'Copy',
  copyLabel: 'Copy the calendar address',
  copied: 'Calendar address copied.',
  /** The clipboard was refused (an LMS frame may not allow it): the address is selected instead. */
  pressToCopy: 'Press {{keys}} to copy',
  pressToCopyStatus: 'The address is selected: press {{keys}} to copy it.',
  appsHeading: 'In your calendar app',
  google: 'Google Calendar',
  googleHow: 'under Other calendars, choose “From URL” and paste the address, or',
  googleLink: 'add it to Google Calendar',
  outlook: 'Outlook',
  outlookHow: 'choose Add calendar → “Subscribe from web” and paste the address, or',
  outlookLink: 'add it to Outlook on the web',
  apple: 'Apple Calendar',
  appleHow:
    'the Subscribe link above opens it; or choose File → New Calendar Subscription and paste the address.',
  newWindow: '(opens in a new window)',
};

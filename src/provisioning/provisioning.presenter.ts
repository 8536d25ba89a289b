import { outcomeMessage, shownOutcome } from './provisioning.outcomes';
import type { PersonRow, Settings } from './provisioning.repo';

const LICENCES: Record<number, string> = { 1: 'Basic', 2: 'Licensed', 99: 'None' };
const NOTICES: Record<string, string> = { saved: 'Settings saved.', checked: 'Checked with Zoom.' };

/** The school admin's people page: each instructor's Zoom status and licence, and the school's settings. */
export function peoplePageModel(input: {
  schoolName: string;
  ltik: string;
  settings: Settings;
  people: PersonRow[];
  notice: unknown;
}) {
  return {
    title: 'Zoom users',
    schoolName: input.schoolName,
    ltik: input.ltik,
    settings: input.settings,
    notice: typeof input.notice === 'string' ? NOTICES[input.notice] : undefined,
    people: input.people.map((person) => {
      const outcome = shownOutcome(person);
      return {
        issuer: person.lmsIssuer,
        userId: person.lmsUserId,
        name: person.name || '(no name)',
        email: person.email ?? '(no email from the LMS)',
        status: person.leaseOwner ? 'being set up' : person.status,
        licence: person.licenceType ? (LICENCES[person.licenceType] ?? String(person.licenceType)) : '—',
        lastChecked: person.lastCheckedAt
          ? person.lastCheckedAt.toISOString().replace('T', ' ').slice(0, 16) + ' UTC'
          : 'never',
        outcome: outcome && !person.leaseOwner ? outcomeMessage(outcome, {}).title : '',
      };
    }),
  };
}

import crypto from 'node:crypto';
import type { Db } from '../storage';
import { tables } from '../storage';
import { anonymiseRows, ERASED, keptRows, removeRows } from './privacy.erase.repo';
import type { ErasureReport, Subject } from './privacy.schema';
import { identify } from './privacy.subject.repo';

/** The erased person's keyed hash (HMAC-SHA256 of issuer and LMS user id): the only way an erasure names them. */
export function subjectHash(key: Buffer, subject: Pick<Subject, 'issuer' | 'userId'>): string {
  return crypto.createHmac('sha256', key).update(`${subject.issuer}\n${subject.userId}`).digest('hex');
}

/**
 * Erases one LMS user of one school (`privacy delete`), in one transaction: their rows go, rows
 * others still need are anonymised, and what must stay is said in words (docs/privacy.md). The
 * erasure itself is recorded by counts and the keyed hash only.
 *
 * Decisions:
 * - Scores already sent to the LMS (`grade_scores`) stay under their LMS user id: the LMS holds
 *   those grades under that id anyway, and the row (score, the time it was sent) keeps the tool
 *   from sending a repeated or older score over the LMS's. Removing the grade is the LMS's to do.
 * - Meetings they host stay for their course's students: their LMS id becomes `erased:<hash>`,
 *   their name is blanked, their email leaves the alternative hosts. The meeting's Zoom host id
 *   stays (the meeting is that Zoom user's in Zoom); Zoom itself is not asked to change anything.
 */
export async function eraseSubject(
  db: Db,
  subject: Subject,
  options: { key: Buffer; requestedBy: string },
): Promise<ErasureReport> {
  const hash = subjectHash(options.key, subject);
  const erasedHost = `${ERASED}:${hash.slice(0, 16)}`;
  return db.transaction(async (tx) => {
    const who = await identify(tx, subject);
    const removed = await removeRows(tx, who);
    const anonymised = await anonymiseRows(tx, who, erasedHost);
    const kept = await keptRows(tx, who, erasedHost);
    const nonZero = (counts: Record<string, number>) =>
      Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
    await tx.insert(tables.privacyErasures).values({
      schoolId: subject.schoolId,
      subjectHash: hash,
      requestedBy: options.requestedBy,
      removed: nonZero(removed),
      kept: {
        ...nonZero(kept),
        ...Object.fromEntries(Object.entries(nonZero(anonymised)).map(([t, n]) => [`${t} (anonymised)`, n])),
      },
    });
    return {
      subjectHash: hash,
      removed: nonZero(removed),
      anonymised: nonZero(anonymised),
      kept: nonZero(kept),
      notes: notes(kept, anonymised, erasedHost),
    };
  });
}

function notes(
  kept: Record<string, number>,
  anonymised: Record<string, number>,
  erasedHost: string,
): string[] {
  const said: string[] = [];
  const scores = kept.grade_scores ?? 0;
  if (scores > 0)
    said.push(
      `Kept: ${scores} score(s) already sent to the LMS (grade_scores: the LMS user id, the score and when it was sent). ` +
        'The LMS holds these grades under that id; the row keeps the tool from sending a repeated or older score over them. ' +
        'Remove the grades in the LMS if they must go too.',
    );
  const hosted = kept['meetings.host_zoom_user_id'] ?? 0;
  if (hosted > 0)
    said.push(
      `Kept: ${hosted} meeting(s) they host, for their course's students, with the host's LMS id replaced by "${erasedHost}", ` +
        "the host's name blanked and their email taken out of the alternative hosts. The meetings' Zoom host id stays: " +
        "in Zoom they are still that user's meetings (hand them to another instructor, or delete them in Zoom).",
    );
  const byColumns = Object.entries(anonymised).filter(([table, n]) => table.includes('.') && n > 0);
  if (byColumns.length > 0)
    said.push(
      `Anonymised: who did something (${byColumns.map(([t, n]) => `${t}: ${n}`).join(', ')}) now says "${ERASED}"; the action itself stays.`,
    );
  said.push(
    'Not done: nothing was deleted in Zoom (their Zoom user, their meetings and recordings, their registrations stay in the ' +
      "school's Zoom account, which the school's Zoom admin manages), and nothing in the LMS. If they are still in an LMS " +
      'course, its next roster read or their next launch brings them back as new: remove them in the LMS first.',
  );
  return said;
}

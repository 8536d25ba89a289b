import { isStaff, type CourseRole } from '../lti';
import { errors } from '../shared/errors';
import type { Db } from '../storage';
import type { AttendanceLinks } from './attendance.links';
import * as repo from './attendance.links.repo';
import { noteStudent } from './attendance.roster.repo';
import { refusedSections } from '../meetings';

/** Who clicks Join: their launch's school, course, LMS id, name and role. */
export interface JoinViewer {
  schoolId: string;
  issuer: string;
  contextId: string;
  userId: string;
  name: string;
  role: CourseRole | null;
  /** The sections their launch named (undefined: none named; what their last launch said counts). */
  sectionIds?: string[];
}

export type JoinAnswer =
  /** Their own registrant link (a student), or the meeting's link (staff; a meeting without attendance). */
  | { kind: 'redirect'; url: string }
  /** No own link yet: "Getting your own link…", and from `PLAIN_AFTER_MS` the meeting's link too. */
  | { kind: 'wait'; topic: string; since: number; plainUrl: string | undefined }
  | { kind: 'deleted'; topic: string };

export interface AttendanceJoinOptions {
  db: Db;
  links: AttendanceLinks;
  now?: () => number;
  /** How long a first click may wait for Zoom (default 3 s: slot and answer together). */
  inlineBudgetMs?: number;
  /** When the waiting page also offers the meeting's link (default 20 s after the first click). */
  plainAfterMs?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The Join click (docs/architecture.md, "The Join click"): one indexed read (the meeting and the
 * viewer's registrant row) and the viewer's own link, with no Zoom call. A student with no link yet
 * (enrolled since the last roster read) is the one click that asks Zoom, once and for at most
 * `inlineBudgetMs`; past that they wait on a page that reads only our table (`wait`).
 */
export class AttendanceJoin {
  private readonly now: () => number;

  constructor(private readonly options: AttendanceJoinOptions) {
    this.now = options.now ?? Date.now;
  }

  async join(
    viewer: JoinViewer,
    meetingId: string,
    options: { wait?: boolean; since?: number } = {},
  ): Promise<JoinAnswer> {
    const { db, links } = this.options;
    const found = UUID.test(meetingId)
      ? await repo.meetingWithLink(db, viewer.schoolId, meetingId, viewer.userId)
      : undefined;
    // Another school's or another course's meeting is not found (whoever asks).
    if (!found || found.meeting.lmsIssuer !== viewer.issuer || found.meeting.contextId !== viewer.contextId)
      throw errors.notFound();
    const { meeting, registrant } = found;
    if (meeting.state === 'deleted') return { kind: 'deleted', topic: meeting.topic };
    if (!meeting.joinUrl || meeting.state === 'creating' || meeting.state === 'failed')
      throw errors.notFound();
    if (isStaff(viewer.role)) return { kind: 'redirect', url: meeting.joinUrl };
    if (viewer.role !== 'learner') throw errors.forbidden();
    const course = { schoolId: viewer.schoolId, lmsIssuer: viewer.issuer, contextId: viewer.contextId };
    // A meeting meant for sections they are not in: refused in words (meetings.sections.ts).
    const others = await refusedSections(db, course, meeting, {
      userId: viewer.userId,
      sectionIds: viewer.sectionIds,
    });
    if (others !== undefined) throw errors.meetingOtherSection({ sections: others });
    const own = registrant ? links.joinUrlOf(registrant) : undefined;
    if (own) return { kind: 'redirect', url: own };
    if (!links.linkable(meeting)) return { kind: 'redirect', url: meeting.joinUrl };
    const now = this.now();
    const since =
      options.since !== undefined && options.since <= now && now - options.since < 3_600_000
        ? options.since
        : now;
    if (options.wait) return this.waiting(meeting, since);
    await noteStudent(db, course, viewer.userId, viewer.name);
    const outcome = await links.linkNow(
      meeting,
      { lmsUserId: viewer.userId, name: viewer.name },
      this.options.inlineBudgetMs ?? 3_000,
    );
    if (outcome === 'ready') {
      const again = await repo.meetingWithLink(db, viewer.schoolId, meetingId, viewer.userId);
      const url = again?.registrant ? links.joinUrlOf(again.registrant) : undefined;
      if (url) return { kind: 'redirect', url };
    }
    return this.waiting(meeting, since);
  }

  private waiting(meeting: repo.MeetingRow, since: number): JoinAnswer {
    const plain = this.now() - since >= (this.options.plainAfterMs ?? 20_000);
    return {
      kind: 'wait',
      topic: meeting.topic,
      since,
      plainUrl: plain ? (meeting.joinUrl ?? undefined) : undefined,
    };
  }
}

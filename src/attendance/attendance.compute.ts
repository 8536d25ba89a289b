import type { AttendedInterval } from '../storage/storage.schema.attendance';

/**
 * Who attended a held instance, and how long: pure (no database, no clock), so every rule of
 * docs/architecture.md "Finality and rules" and "Two devices, forwarded links" is a table test.
 *
 * A session is a student's when its registrant id is one of ours, else when its email is our
 * secondary email of a student; never by display name. A host is a signed-in Zoom user the meeting
 * names as host or alternative host; anyone else is a guest. Minutes are the union of a person's
 * intervals clipped to the instance (two devices, or a webhook and the report naming the same
 * interval, count once); an open session ends at the instance's end; a session whose join is not
 * known (only its leave arrived) adds no time.
 */

export type ComputedStatus = 'present' | 'late' | 'absent';

export interface ComputeSession {
  registrantId: string | null;
  email: string | null;
  /** The signed-in Zoom user (`participant.id`), null when not signed in. */
  zoomAccountUserId: string | null;
  displayName: string;
  joinedAt: Date | null;
  leftAt: Date | null;
}

export interface ComputeInput {
  instance: {
    scheduledStart: Date;
    scheduledMinutes: number;
    startedAt: Date | null;
    endedAt: Date | null;
  };
  /** Instant that ends a still running instance (the caller's clock). */
  now: Date;
  rules: { presentPercent: number; lateMinutes: number };
  /** Active students of the course. */
  roster: ReadonlyArray<{ lmsUserId: string; name: string }>;
  registrants: ReadonlyArray<{ lmsUserId: string; registrantId: string | null; email: string }>;
  hostZoomUserIds: readonly string[];
  sessions: readonly ComputeSession[];
}

export interface StudentResult {
  lmsUserId: string;
  name: string;
  status: ComputedStatus;
  seconds: number;
  firstJoinAt: Date | null;
  intervals: AttendedInterval[];
  /**
   * Sessions worth a look, never changing the status: `name:<display name>` (joined under a name
   * neither theirs nor one they used before: a rename or a forwarded link) and
   * `zoom_user:<display name>` (signed in as another Zoom user than in their other sessions).
   */
  flags: string[];
}

export interface HostPresence {
  zoomUserId: string;
  names: string[];
  seconds: number;
}

export interface GuestSession {
  name: string;
  email: string | null;
  joinedAt: Date | null;
  leftAt: Date | null;
}

export interface ComputeOutput {
  students: StudentResult[];
  hosts: HostPresence[];
  guests: GuestSession[];
}

interface Span {
  from: number;
  to: number;
}

const normalName = (name: string) => name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();
const normalEmail = (email: string) => email.trim().toLowerCase();

/** The union of spans (sorted, overlapping or touching spans merged). */
export function unionOf(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.to > s.from).sort((a, b) => a.from - b.from || a.to - b.to);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else merged.push({ ...span });
  }
  return merged;
}

const secondsOf = (spans: readonly Span[]) =>
  Math.round(spans.reduce((total, s) => total + (s.to - s.from), 0) / 1000);

export function computeAttendance(input: ComputeInput): ComputeOutput {
  const { instance, rules } = input;
  const start = (instance.startedAt ?? instance.scheduledStart).getTime();
  const end = Math.max(start, (instance.endedAt ?? input.now).getTime());
  const clip = (s: ComputeSession): Span | null => {
    if (!s.joinedAt) return null;
    const from = Math.max(start, s.joinedAt.getTime());
    const to = Math.min(end, (s.leftAt ?? new Date(end)).getTime());
    return to > from ? { from, to } : null;
  };

  const roster = new Map(input.roster.map((p) => [p.lmsUserId, p]));
  const byRegistrant = new Map<string, string>();
  const byEmail = new Map<string, string>();
  for (const r of input.registrants) {
    if (r.registrantId) byRegistrant.set(r.registrantId, r.lmsUserId);
    byEmail.set(normalEmail(r.email), r.lmsUserId);
  }
  const hosts = new Set(input.hostZoomUserIds);

  const ofStudent = new Map<string, ComputeSession[]>();
  const ofHost = new Map<string, ComputeSession[]>();
  const guests: GuestSession[] = [];
  for (const s of input.sessions) {
    const student =
      (s.registrantId ? byRegistrant.get(s.registrantId) : undefined) ??
      (s.email ? byEmail.get(normalEmail(s.email)) : undefined);
    if (student !== undefined) {
      // A registrant who is no longer an active student of the course gets no result.
      if (roster.has(student)) ofStudent.set(student, [...(ofStudent.get(student) ?? []), s]);
    } else if (s.zoomAccountUserId && hosts.has(s.zoomAccountUserId)) {
      ofHost.set(s.zoomAccountUserId, [...(ofHost.get(s.zoomAccountUserId) ?? []), s]);
    } else {
      guests.push({ name: s.displayName, email: s.email, joinedAt: s.joinedAt, leftAt: s.leftAt });
    }
  }

  const scheduledMs = instance.scheduledMinutes * 60_000;
  const lateAfter = instance.scheduledStart.getTime() + rules.lateMinutes * 60_000;
  const students = input.roster.map((person): StudentResult => {
    const sessions = [...(ofStudent.get(person.lmsUserId) ?? [])].sort(
      (a, b) => (a.joinedAt?.getTime() ?? Infinity) - (b.joinedAt?.getTime() ?? Infinity),
    );
    const spans = unionOf(sessions.map(clip).filter((s): s is Span => s !== null));
    const seconds = secondsOf(spans);
    const joins = sessions.flatMap((s) => (s.joinedAt ? [s.joinedAt.getTime()] : []));
    const firstJoin = joins.length > 0 ? Math.min(...joins) : null;
    const enough = seconds * 1000 * 100 >= rules.presentPercent * scheduledMs && seconds > 0;
    const status: ComputedStatus = !enough
      ? 'absent'
      : firstJoin !== null && firstJoin > lateAfter
        ? 'late'
        : 'present';
    return {
      lmsUserId: person.lmsUserId,
      name: person.name,
      status,
      seconds,
      firstJoinAt: firstJoin === null ? null : new Date(firstJoin),
      intervals: spans.map((s) => ({
        from: new Date(s.from).toISOString(),
        to: new Date(s.to).toISOString(),
      })),
      flags: flagsOf(person.name, sessions),
    };
  });

  const hostList = [...ofHost.entries()].map(([zoomUserId, sessions]) => ({
    zoomUserId,
    names: [...new Set(sessions.map((s) => s.displayName))],
    seconds: secondsOf(unionOf(sessions.map(clip).filter((s): s is Span => s !== null))),
  }));
  return { students, hosts: hostList, guests };
}

/** Flags of one student's sessions, in join order (see StudentResult.flags). */
function flagsOf(registeredName: string, sessions: readonly ComputeSession[]): string[] {
  const flags: string[] = [];
  const names = new Set([normalName(registeredName)]);
  let signedInAs: string | null = null;
  for (const s of sessions) {
    const name = normalName(s.displayName);
    if (name && !names.has(name)) flags.push(`name:${s.displayName}`);
    if (name) names.add(name);
    if (s.zoomAccountUserId) {
      if (signedInAs === null) signedInAs = s.zoomAccountUserId;
      else if (s.zoomAccountUserId !== signedInAs) flags.push(`zoom_user:${s.displayName}`);
    }
  }
  return [...new Set(flags)];
}

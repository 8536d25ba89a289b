import type { EffectiveStatus, GradeMode, SentScore } from './grades.sync.repo';

/**
 * What a course's gradebook columns should hold, from its held instances and results (pure: the
 * rules of docs/architecture.md "Grades (AGS)", tested without a database).
 * - 'course': one column "Attendance" out of 100, score = attended (present, late or excused) ÷ held
 *   × 100 (two decimals); `InProgress` while a meeting that counts is still to come, else `Completed`.
 * - 'meeting': one column per held instance out of 1, labelled with the meeting's topic and the
 *   instance's date in the meeting's time zone; 1 and `Completed` when attended, 0 and `Initialized`
 *   when absent.
 * Every active student gets a score (absent too: a student with no result is absent).
 */

export const GRADE_TAG = 'zoom-attendance';
export const COURSE_RESOURCE = `${GRADE_TAG}:course`;
export const COURSE_LABEL = 'Attendance';
export const instanceResource = (instanceId: string) => `${GRADE_TAG}:${instanceId}`;

export type ScoreProgress = 'Completed' | 'Initialized' | 'InProgress';

export interface WantedScore {
  scoreGiven: number;
  activityProgress: ScoreProgress;
  gradingProgress: 'FullyGraded';
}

export interface Column {
  resourceId: string;
  /** The held instance of a per-meeting column (null for the course's). */
  instanceId: string | null;
  label: string;
  scoreMaximum: number;
  scores: Map<string, WantedScore>;
}

export interface HeldInstance {
  id: string;
  topic: string;
  timeZone: string;
  at: Date;
}

export interface ColumnsInput {
  mode: GradeMode;
  held: readonly HeldInstance[];
  results: ReadonlyArray<{ instanceId: string; lmsUserId: string; status: EffectiveStatus }>;
  students: readonly string[];
  /** A meeting that counts is still to come. */
  upcoming: boolean;
}

const ATTENDED: ReadonlySet<EffectiveStatus> = new Set(['present', 'late', 'excused']);
const MAX_TOPIC = 200;

/** "Biology 101 (2030-03-04)": the topic and the instance's date where the meeting is held. */
export function instanceLabel(topic: string, timeZone: string, at: Date): string {
  let date: string;
  try {
    date = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(at);
  } catch {
    date = at.toISOString().slice(0, 10);
  }
  const name = topic.trim().slice(0, MAX_TOPIC) || COURSE_LABEL;
  return `${name} (${date})`;
}

export function columnsFor(input: ColumnsInput): Column[] {
  if (input.mode === 'off') return [];
  const attended = new Set(
    input.results
      .filter((result) => ATTENDED.has(result.status))
      .map((r) => `${r.instanceId}\n${r.lmsUserId}`),
  );
  const came = (instanceId: string, student: string) => attended.has(`${instanceId}\n${student}`);
  if (input.mode === 'course') {
    const scores = new Map<string, WantedScore>();
    if (input.held.length > 0)
      for (const student of input.students) {
        const count = input.held.filter((instance) => came(instance.id, student)).length;
        scores.set(student, {
          scoreGiven: Math.round((count / input.held.length) * 10_000) / 100,
          activityProgress: input.upcoming ? 'InProgress' : 'Completed',
          gradingProgress: 'FullyGraded',
        });
      }
    return [
      { resourceId: COURSE_RESOURCE, instanceId: null, label: COURSE_LABEL, scoreMaximum: 100, scores },
    ];
  }
  return input.held.map((instance) => ({
    resourceId: instanceResource(instance.id),
    instanceId: instance.id,
    label: instanceLabel(instance.topic, instance.timeZone, instance.at),
    scoreMaximum: 1,
    scores: new Map(
      input.students.map((student): [string, WantedScore] =>
        came(instance.id, student)
          ? [student, { scoreGiven: 1, activityProgress: 'Completed', gradingProgress: 'FullyGraded' }]
          : [student, { scoreGiven: 0, activityProgress: 'Initialized', gradingProgress: 'FullyGraded' }],
      ),
    ),
  }));
}

/** A score equal to the last one sent (given score and progress values) is not sent again. */
export function alreadySent(wanted: WantedScore, sent: SentScore | undefined): boolean {
  return (
    sent !== undefined &&
    sent.scoreGiven === wanted.scoreGiven &&
    sent.activityProgress === wanted.activityProgress &&
    sent.gradingProgress === wanted.gradingProgress
  );
}

/** A score's timestamp: now, or just after the last one sent if the clock says otherwise (never backwards). */
export function nextTimestamp(now: number, sent: SentScore | undefined): number {
  return sent ? Math.max(now, sent.sentAt.getTime() + 1) : now;
}

/**
 * How long to wait before sending scores whose last timestamps are this recent: Moodle keeps a
 * score's time in whole seconds and refuses (409) one whose second is not after it, so a new score
 * waits for the next second after the newest sent (0 most of the time; at most a second, even when
 * this clock is behind the one that sent it: a score the LMS then refuses waits for the next run).
 */
export function secondWait(now: number, newestSent: number | undefined): number {
  if (newestSent === undefined) return 0;
  const next = (Math.floor(newestSent / 1000) + 1) * 1000;
  return Math.min(1000, Math.max(0, next - now));
}

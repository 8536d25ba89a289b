import { DateTime } from 'luxon';
import type { JobRunner } from '../jobs';
import { errors } from '../shared/errors';
import { GRADES_JOB, gradesJobKey } from '../grades';
import { courseJobKey, RECOMPUTE_JOB } from './attendance.instances';
import type { Db } from '../storage';
import * as repo from './attendance.pages.repo';
import type { OverrideInput, SettingsInput } from './attendance.schema';
import {
  attended,
  byName,
  csvCell,
  effectiveStatus,
  groupSessions,
  instanceState,
  rateOf,
  sharesName,
  STATUSES,
  studentRow,
  whenText,
  zoneText,
  type Status,
  type Viewer,
} from './attendance.pages.format';

/**
 * The instructor's and the student's attendance pages: what each reads (scoped to the launch's
 * school and course) and the two changes an instructor makes, each in one transaction with the job
 * it starts (an override → `attendance.grades`; the rules → `attendance.recompute`). The effective
 * status is the instructor's mark when there is one, else the computed one.
 */

export type CourseKey = repo.CourseKey;

/** What the pages ask of the grades capability (GradesSync has these). */
export interface GradesFixes {
  recreate(course: CourseKey): Promise<number>;
  stop(course: CourseKey, by?: string): Promise<void>;
}
export const DEFAULT_RULES = { presentPercent: 75, lateMinutes: 10 } as const;

export class AttendancePages {
  private readonly now: () => number;

  constructor(
    private readonly deps: {
      db: Db;
      jobs: Pick<JobRunner, 'enqueue'>;
      /** The gradebook columns' two fixes after the LMS refused them (src/grades GradesSync). */
      grades?: GradesFixes;
      now?: () => number;
    },
  ) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * "Create it again" (the columns deleted in the LMS made again, with every score) or "Stop sending
   * grades" (the mode off; what the LMS holds stays), as the grades settings offer after a refusal.
   */
  async fixGrades(course: CourseKey, action: 'recreate' | 'stop', by: string): Promise<void> {
    const grades = this.deps.grades;
    if (!grades) throw errors.notFound('Grades are not sent from this tool.');
    if (action === 'recreate') await grades.recreate(course);
    else await grades.stop(course, by);
  }

  private async rules(course: CourseKey) {
    const row = await repo.settingsOf(this.deps.db, course);
    return {
      presentPercent: row?.presentPercent ?? DEFAULT_RULES.presentPercent,
      lateMinutes: row?.lateMinutes ?? DEFAULT_RULES.lateMinutes,
      excluded: new Set(row?.excludedMeetingIds ?? []),
      gradeMode: row?.gradeMode ?? 'off',
      gradeError: row?.gradeError ?? undefined,
    };
  }

  /** Each held instance with its counts and state, and each student's rate over the counted ones. */
  async overview(course: CourseKey, viewer: Viewer) {
    const db = this.deps.db;
    const [instances, results, students, rules] = await Promise.all([
      repo.heldInstances(db, course),
      repo.resultsOfCourse(db, course),
      repo.studentsOf(db, course),
      this.rules(course),
    ]);
    const counted = new Set(
      instances.filter((i) => i.computedAt && !rules.excluded.has(i.meetingId)).map((i) => i.id),
    );
    const counts = new Map<string, Record<Status, number>>();
    const perStudent = new Map<string, { attended: number; held: number }>();
    for (const row of results) {
      const status = effectiveStatus(row);
      const c = counts.get(row.instanceId) ?? { present: 0, late: 0, absent: 0, excused: 0 };
      c[status] += 1;
      counts.set(row.instanceId, c);
      if (!counted.has(row.instanceId)) continue;
      const s = perStudent.get(row.lmsUserId) ?? { attended: 0, held: 0 };
      s.held += 1;
      if (attended(status)) s.attended += 1;
      perStudent.set(row.lmsUserId, s);
    }
    return {
      zone: zoneText(viewer, this.now()),
      gradeError: rules.gradeError,
      instances: instances.map((instance) => ({
        id: instance.id,
        topic: instance.topic,
        when: whenText(instance.startedAt ?? instance.scheduledStart, viewer),
        iso: (instance.startedAt ?? instance.scheduledStart)?.toISOString() ?? '',
        counts: STATUSES.map((status) => ({ status, count: counts.get(instance.id)?.[status] ?? 0 })),
        state: instanceState(instance),
        counted: !rules.excluded.has(instance.meetingId),
      })),
      students: byName(students, viewer).map((student) => ({
        name: student.name || student.lmsUserId,
        userId: student.lmsUserId,
        sameName: sharesName(students, student),
        removed: student.state === 'removed',
        rate: rateOf(perStudent.get(student.lmsUserId)),
      })),
    };
  }

  /** One held instance: each roster student with their intervals, guests apart, hosts apart. */
  async instance(course: CourseKey, instanceId: string, viewer: Viewer) {
    const db = this.deps.db;
    const instance = await repo.instanceOf(db, course, instanceId);
    if (!instance) throw errors.notFound('No held meeting of this course has that id.');
    const [results, students, unmatched] = await Promise.all([
      repo.resultsOfInstance(db, course.schoolId, instance.id),
      repo.studentsOf(db, course),
      repo.unmatchedSessions(db, instance, course.schoolId),
    ]);
    const byUser = new Map(results.map((row) => [row.lmsUserId, row]));
    const people = byName([...students], viewer);
    for (const row of results)
      if (!students.some((s) => s.lmsUserId === row.lmsUserId))
        people.push({ lmsUserId: row.lmsUserId, name: row.lmsUserId, state: 'removed' });
    const signedIn = unmatched.map((s) => s.zoomAccountUserId).filter((id): id is string => !!id);
    const staffIds = await repo.schoolZoomUserIds(db, course.schoolId, signedIn);
    const isHost = (id: string | null) => !!id && (id === instance.hostZoomUserId || staffIds.has(id));
    return {
      id: instance.id,
      topic: instance.topic,
      when: whenText(instance.startedAt ?? instance.scheduledStart, viewer),
      iso: (instance.startedAt ?? instance.scheduledStart)?.toISOString() ?? '',
      state: instanceState(instance),
      zone: zoneText(viewer, this.now()),
      students: people
        .filter((p) => p.state === 'active' || byUser.has(p.lmsUserId))
        .map((person) => ({
          ...studentRow(person, byUser.get(person.lmsUserId), viewer),
          sameName: sharesName(people, person),
        })),
      guests: groupSessions(
        unmatched.filter((s) => !isHost(s.zoomAccountUserId)),
        viewer,
      ),
      hosts: groupSessions(
        unmatched.filter((s) => isHost(s.zoomAccountUserId)),
        viewer,
      ),
    };
  }

  /** The instance's students as CSV: a header row, one row per student, no cell a spreadsheet runs. */
  async csv(
    course: CourseKey,
    instanceId: string,
    viewer: Viewer,
  ): Promise<{ filename: string; body: string }> {
    const page = await this.instance(course, instanceId, viewer);
    const t = viewer.t;
    const zone = viewer.timeZone;
    const local = (iso: string) => DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd HH:mm');
    const header = [
      t('attendance.csv.student'),
      t('attendance.csv.userId'),
      t('attendance.csv.status'),
      t('attendance.csv.reason'),
      t('attendance.csv.firstJoin', { zone }),
      t('attendance.csv.intervals', { zone }),
      t('attendance.csv.minutes'),
      t('attendance.csv.flags'),
    ];
    const lines = page.students.map((s) => [
      s.name,
      s.userId,
      s.statusText,
      s.override?.reason ?? '',
      s.firstJoinIso ? local(s.firstJoinIso) : '',
      s.intervalsIso.map((i) => `${local(i.from)}–${local(i.to)}`).join('; '),
      s.computed ? String(s.minutes) : '',
      s.flags.join(' '),
    ]);
    const day = page.iso ? DateTime.fromISO(page.iso, { zone }).toFormat('yyyy-MM-dd') : page.id;
    const rows = [header, ...lines].map((row) => row.map(csvCell).join(','));
    return { filename: `attendance-${day}.csv`, body: `${rows.join('\r\n')}\r\n` };
  }

  /** A student's own rows (each held instance: status, minutes) and their rate. */
  async mine(course: CourseKey, lmsUserId: string, viewer: Viewer) {
    const db = this.deps.db;
    const [instances, results, rules] = await Promise.all([
      repo.heldInstances(db, course),
      repo.resultsOfCourse(db, course, lmsUserId),
      this.rules(course),
    ]);
    const byInstance = new Map(results.map((row) => [row.instanceId, row]));
    const rows = instances
      .filter((instance) => byInstance.has(instance.id))
      .map((instance) => {
        const row = byInstance.get(instance.id) as repo.ResultRow;
        const status = effectiveStatus(row);
        return {
          topic: instance.topic,
          when: whenText(instance.startedAt ?? instance.scheduledStart, viewer),
          iso: (instance.startedAt ?? instance.scheduledStart)?.toISOString() ?? '',
          status,
          statusText: viewer.t(`attendance.status.${status}`),
          minutes: Math.round(row.seconds / 60),
          counted: !!instance.computedAt && !rules.excluded.has(instance.meetingId),
          final: !!instance.finalAt,
        };
      });
    const countedRows = rows.filter((row) => row.counted);
    const rate = rateOf({
      held: countedRows.length,
      attended: countedRows.filter((row) => attended(row.status)).length,
    });
    return { zone: zoneText(viewer, this.now()), rows, rate };
  }

  /** The rules form's values: the course's, or the defaults. */
  async settings(course: CourseKey) {
    const [rules, meetings] = await Promise.all([
      this.rules(course),
      repo.meetingsOfCourse(this.deps.db, course),
    ]);
    return {
      presentPercent: String(rules.presentPercent),
      lateMinutes: String(rules.lateMinutes),
      gradeMode: rules.gradeMode,
      gradeError: rules.gradeError,
      meetings: meetings.map((m) => ({ id: m.id, topic: m.topic, counted: !rules.excluded.has(m.id) })),
    };
  }

  /**
   * Marks a student of the course excused or present on a held instance (the reason kept), or
   * clears the mark; the course's grades follow (`attendance.grades`, enqueued with the write).
   */
  async override(course: CourseKey, instanceId: string, input: OverrideInput, by: string): Promise<void> {
    const db = this.deps.db;
    const instance = await repo.instanceOf(db, course, instanceId);
    if (!instance) throw errors.notFound('No held meeting of this course has that id.');
    if (!(await repo.isStudentOf(db, course, input.userId)))
      throw errors.notFound('No student of this course has that id.');
    const mark = input.action === 'set' ? { status: input.status, reason: input.reason, by } : null;
    await db.transaction(async (tx) => {
      const written = await repo.writeOverride(tx, course.schoolId, instance.id, input.userId, mark);
      if (written)
        await this.deps.jobs.enqueue(GRADES_JOB, gradesJobKey(course), { ...course }, undefined, tx);
    });
  }

  /**
   * Saves the course's rules; every held instance is computed again with them, and grades follow
   * (`attendance.recompute`, enqueued with the write). A meeting id not of this course is refused.
   */
  async saveSettings(course: CourseKey, input: SettingsInput, by: string): Promise<boolean> {
    const db = this.deps.db;
    const meetings = await repo.meetingsOfCourse(db, course);
    const known = new Set(meetings.map((m) => m.id));
    if (input.counted.some((id) => !known.has(id))) return false;
    const counted = new Set(input.counted);
    await db.transaction(async (tx) => {
      await repo.saveSettings(tx, course, {
        presentPercent: input.presentPercent,
        lateMinutes: input.lateMinutes,
        excludedMeetingIds: meetings.filter((m) => !counted.has(m.id)).map((m) => m.id),
        gradeMode: input.gradeMode,
        updatedBy: by,
      });
      await this.deps.jobs.enqueue(RECOMPUTE_JOB, courseJobKey(course), { ...course }, undefined, tx);
    });
    return true;
  }
}

import crypto from 'node:crypto';
import type { CourseMember, LaunchContext } from '../lti';
import { isStaff } from '../lti';
import type { Logger } from 'pino';
import { feedPath } from './meetings.ics';
import type { AlternativeHosts, HostCandidate } from './meetings.hosts';
import {
  formView,
  isUpcoming,
  meetingView,
  type FormView,
  type MeetingView,
  type Viewer,
} from './meetings.presenter';
import type * as repo from './meetings.repo';
import type { FieldErrors, FormValues } from './meetings.schema';
import type { MeetingsService, ZoomUserLookup } from './meetings.service';
import type { MeetingsSync } from './meetings.sync';
import { meetingRights } from './meetings.policy';
import { isMeantFor, sectionLabel, type MeetingSections, type SectionsView } from './meetings.sections';
import { zoneLabel } from './meetings.zones';

/** The meetings part of a course page (and of a single meeting's page). */
export interface MeetingsSection {
  audience: 'staff' | 'learner' | 'none';
  /** Staff whose own Zoom user is active: they may schedule. */
  canSchedule: boolean;
  upcoming: MeetingView[];
  past: MeetingView[];
  form: FormView | undefined;
  /**
   * The form is shown open: the course has no meeting yet (scheduling is the first thing to do),
   * the instructor asked for it (`schedule=1`, the button without JavaScript), or it comes back
   * with what was typed and its errors. Else the list comes first and a button opens it.
   */
  formOpen: boolean;
  /** Every recording the viewer may watch, across the course's meetings, newest first. */
  recordings: RecordingItem[];
  /**
   * A placed link (deep linking) whose meeting is not here: deleted in this course (its topic
   * given to staff), or of another course (the course was copied) or gone.
   */
  missing: { deletedTopic: string | undefined; otherSection?: { topic: string; names: string } } | undefined;
  feedUrl: string | undefined;
  zoneText: string;
}

export interface RecordingItem {
  meetingId: string;
  topic: string;
  /** Our watch link's path under /lti (the view wraps it in `link`): never Zoom's URL on the page. */
  url: string;
  /** The recording in our links (its Zoom instance UUID as base64url): Hide and Show post to it. */
  key: string;
  when: string;
  iso: string;
  /** Staff only: the meeting's recordings are shown to students. */
  shown: boolean;
  /** Staff only (students never get a hidden one): hidden from students by staff. */
  hidden: boolean;
  /** Zoom's sharing of it: shared, revoking, revoked, restoring or failed (`shareError` says why). */
  shareState: repo.RecordingRow['shareState'];
  shareError: string | undefined;
}

export interface SectionInput {
  launch: LaunchContext;
  schoolId: string;
  viewer: Viewer;
  /** Names and Roles members of the course (asked only to build the form). */
  members: () => Promise<CourseMember[] | undefined>;
  form?: { values: FormValues; errors: FieldErrors; refusal?: { lines: string[]; reference: string } };
  /** Only this meeting (a deep-linked resource link). */
  only?: string;
  /** The instructor asked for the form (`schedule=1`). */
  openForm?: boolean;
}

/**
 * Builds what the meetings pages show, from our tables only for learners (no Zoom request on the
 * student path). For instructors it also asks for a reconciliation with Zoom (paced per course, in
 * the background) and lists alternative hosts.
 */
export class MeetingsPages {
  constructor(
    private readonly deps: {
      meetings: MeetingsService;
      sync: MeetingsSync;
      hosts: AlternativeHosts;
      zoomUserOf: ZoomUserLookup;
      feedKey: Buffer;
      publicUrl: string;
      logger: Logger;
      /** Sections (meetings.sections.ts); without it every meeting is the whole course's. */
      sections?: MeetingSections;
    },
  ) {}

  courseOf(launch: LaunchContext, schoolId: string): repo.CourseKey {
    return { schoolId, lmsIssuer: launch.issuer, contextId: launch.course.id };
  }

  async section(input: SectionInput): Promise<MeetingsSection> {
    const { launch, viewer } = input;
    const course = this.courseOf(launch, input.schoolId);
    const staff = isStaff(launch.role);
    const audience = staff ? 'staff' : launch.role === 'learner' ? 'learner' : 'none';
    const zoneText = viewer.translator.t('meetings.timesIn', {
      zone: zoneLabel(viewer.timeZone, viewer.translator.locale, viewer.now),
    });
    if (audience === 'none')
      return {
        audience,
        canSchedule: false,
        upcoming: [],
        past: [],
        form: undefined,
        formOpen: false,
        recordings: [],
        missing: undefined,
        feedUrl: undefined,
        zoneText,
      };
    // Staff record the course (its title, for the calendar) and read it afresh; students read the
    // view every student of the course shares for a moment (a whole class opens it at once).
    let courseRow: repo.CourseRow | undefined;
    let rows: repo.MeetingWithDetails[];
    if (staff) {
      ({ course: courseRow, meetings: rows } = await this.deps.meetings.staffView(
        course,
        launch.course.title ?? launch.course.label ?? '',
        { clientId: launch.clientId, deploymentId: launch.deploymentId, ...launch.services },
      ));
    } else {
      ({ course: courseRow, meetings: rows } = await this.deps.meetings.studentView(course));
    }
    const sections = await this.sectionsOf(course, launch);
    // Students see the whole course's meetings and their own sections' (a placed link of another is named).
    let otherSection: { topic: string; names: string } | undefined;
    if (!staff) {
      const theirs = rows.filter((row) => isMeantFor(row.sectionIds, sections.mine));
      const hidden = input.only
        ? rows.find((row) => row.id === input.only && !theirs.includes(row))
        : undefined;
      if (hidden)
        otherSection = {
          topic: hidden.topic,
          names: hidden.sectionIds
            .map((id) => sections.known.find((s) => s.id === id)?.name ?? id)
            .join(', '),
        };
      rows = theirs;
    }
    let missing: MeetingsSection['missing'];
    if (input.only) {
      rows = rows.filter((row) => row.id === input.only);
      // A meeting placed by deep linking belongs to the resource link the LMS made for it.
      const placed = rows[0];
      if (placed && !placed.resourceLinkId && launch.resourceLink?.id)
        await this.deps.meetings.placeOnLink(placed.id, launch.resourceLink.id);
      // Not here: staff are told whether it was deleted in this course (else it is another course's).
      if (!placed) {
        const deleted = staff ? await this.deps.meetings.topicOf(course, input.only) : undefined;
        missing = { deletedTopic: deleted?.topic, ...(otherSection ? { otherSection } : {}) };
      }
    }
    const host = staff
      ? await this.deps.zoomUserOf({ schoolId: input.schoolId, issuer: launch.issuer, userId: launch.userId })
      : undefined;
    const canSchedule = staff && host?.status === 'active' && Boolean(host.zoomUserId);
    if (staff) {
      await this.deps.sync
        .requestReconcile(course)
        .catch((error: unknown) =>
          this.deps.logger.warn({ err: error }, 'could not ask for a reconciliation'),
        );
    }
    const views = rows.map((row) => ({
      ...meetingView(row, viewer, {
        viewerUserId: launch.userId,
        // The host the row recorded (a co-instructor sees who invites, not the course's name).
        hostName: row.hostName || (row.hostLmsUserId === launch.userId ? launch.name : ''),
        forStudent: !staff,
      }),
      // Staff: the sections it is for, and whether they start it as an alternative host (co-teaching).
      ...(staff
        ? {
            sectionText: sectionLabel(row.sectionIds, sections.known, viewer.translator),
            startAlternative: meetingRights(launch, row, host?.email).start === 'alternative',
          }
        : {}),
    }));
    const byRow = new Map(rows.map((row, index) => [row.id, views[index]] as const));
    const upcoming = rows.filter((row) => isUpcoming(row, viewer.now)).map((row) => byRow.get(row.id)!);
    const past = rows.filter((row) => !isUpcoming(row, viewer.now)).map((row) => byRow.get(row.id)!);
    const form =
      canSchedule && !input.only
        ? formView({
            viewer,
            values: input.form?.values,
            errors: input.form?.errors,
            refusal: input.form?.refusal,
            candidates: await this.candidates(input, host?.email ?? launch.email),
            intent: newIntent(),
            sections: sections.known,
          })
        : undefined;
    const recordings = rows
      .flatMap((row) =>
        byRow.get(row.id)!.recordings.map((r) => ({
          meetingId: row.id,
          topic: row.topic,
          ...r,
          shown: row.showRecordings,
        })),
      )
      .sort((a, b) => b.iso.localeCompare(a.iso));
    return {
      audience,
      canSchedule,
      upcoming,
      past,
      form,
      formOpen:
        form !== undefined && (rows.length === 0 || input.form !== undefined || Boolean(input.openForm)),
      recordings,
      missing,
      feedUrl: courseRow ? `${this.deps.publicUrl}${feedPath(this.deps.feedKey, courseRow)}` : undefined,
      zoneText,
    };
  }

  /** The edit form of one meeting (values posted again after an error, or the meeting's own). */
  async editForm(input: SectionInput & { meeting: repo.MeetingWithDetails }): Promise<FormView> {
    const host = await this.deps.zoomUserOf({
      schoolId: input.schoolId,
      issuer: input.launch.issuer,
      userId: input.launch.userId,
    });
    return formView({
      viewer: input.viewer,
      meeting: input.meeting,
      values: input.form?.values,
      errors: input.form?.errors,
      refusal: input.form?.refusal,
      candidates: await this.candidates(input, host?.email ?? input.launch.email),
      intent: input.meeting.intentKey,
      sections: (await this.sectionsOf(this.courseOf(input.launch, input.schoolId), input.launch)).known,
    });
  }

  /** What the launch says of sections (recorded), the course's known ones and the viewer's. */
  async sectionsOf(course: repo.CourseKey, launch: LaunchContext): Promise<SectionsView> {
    return this.deps.sections ? this.deps.sections.forLaunch(course, launch) : { known: [], mine: [] };
  }

  /** A form's sections that are not the course's (the form's error), else undefined. */
  async sectionsRefused(
    course: repo.CourseKey,
    chosen: string[] | undefined,
  ): Promise<FieldErrors | undefined> {
    if (!chosen || chosen.length === 0) return undefined;
    if (!this.deps.sections) return { sections: 'sections_invalid' };
    return this.deps.sections.check(chosen, await this.deps.sections.known(course));
  }

  /** An edit's sections, once Zoom took the edit (tool-only; unchanged ones are not written). */
  async assignSections(
    course: repo.CourseKey,
    meeting: repo.MeetingRow,
    chosen: string[] | undefined,
  ): Promise<void> {
    const next = [...new Set(chosen ?? [])].sort();
    const before = [...meeting.sectionIds].sort();
    if (!this.deps.sections || next.join('\n') === before.join('\n')) return;
    await this.deps.sections.assign(course, meeting.id, next);
  }

  /** The course's other instructors, as alternative hosts Zoom would accept or not (with the reason). */
  async candidates(input: SectionInput, hostEmail: string | undefined): Promise<HostCandidate[]> {
    const members = await input.members().catch((error: unknown) => {
      this.deps.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'Names and Roles failed',
      );
      return undefined;
    });
    if (!members) return [];
    const api = await this.deps.meetings.accountApi(input.schoolId).catch(() => undefined);
    return this.deps.hosts.candidates({ schoolId: input.schoolId, members, hostEmail, api });
  }
}

/** A fresh creation intent for a form: the key a repeated submit is recognised by. */
export function newIntent(): string {
  return crypto.randomBytes(18).toString('base64url');
}

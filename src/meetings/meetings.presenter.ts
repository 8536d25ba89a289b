import type { Translator } from '../shared/i18n';
import type { HostCandidate } from './meetings.hosts';
import type { MeetingWithDetails, RecordingRow } from './meetings.repo';
import { recordingKey, watchPath } from './meetings.recordings';
import type { FieldErrors, FormValues } from './meetings.schema';
import { invitationText, recurrenceText } from './meetings.invitation';
import { formatDate, formatInstant, formParts, relativeFrom } from './meetings.time';
import { zoneOptions } from './meetings.zones';
import { takesRegistration } from './meetings.zoom';

/** How a page shows times: the viewer's zone (sent by their browser) or the school's, and the launch's locale. */
export interface Viewer {
  timeZone: string;
  /** The zone was sent by the browser (else the school's default is used). */
  zoneFromBrowser: boolean;
  translator: Translator;
  now: number;
}

export interface MeetingView {
  id: string;
  topic: string;
  state: string;
  creating: boolean;
  /** Zoom confirmed it: the content picker may place it. */
  confirmed: boolean;
  /** A create Zoom never confirmed (staff only: Retry or Delete). */
  failed: boolean;
  inProgress: boolean;
  /** Staff only: why the last reconcile could not read it from Zoom, and when. */
  reconcileError: string | undefined;
  /** The next (or only) start, in the viewer's zone and locale. */
  when: string;
  whenIso: string;
  /** A series: the occurrence the card shows (its Delete asks about that one first). */
  occurrenceId: string | undefined;
  startsIn: string;
  durationText: string;
  recurrenceText: string | undefined;
  occurrencesLeft: number;
  upcomingOccurrences: Array<{ id: string; when: string; iso: string }>;
  joinUrl: string | undefined;
  /** A hand-over made it again with a new link (meetings.handover.ts): "The link of this class changed on …". */
  linkChanged: string | undefined;
  /** Zoom takes registrants for it: a student joins through their own link (`/meetings/:id/join`). */
  takesAttendance: boolean;
  passcode: string | undefined;
  zoomMeetingId: string | undefined;
  /** Zoom's meeting ID grouped as Zoom shows it ("812 3456 7890"). */
  meetingIdText: string | undefined;
  invitation: string;
  isHost: boolean;
  showRecordings: boolean;
  /**
   * `url`: our watch link's path under /lti (views wrap it in `link`), never Zoom's. Students get
   * none hidden; staff get each one's hiding and Zoom's sharing (meetings.recordings.hide.ts).
   */
  recordings: Array<{
    url: string;
    key: string;
    when: string;
    iso: string;
    hidden: boolean;
    shareState: RecordingRow['shareState'];
    shareError: string | undefined;
  }>;
}

/** Zoom confirmed the meeting (it has Zoom's id and is not an intent): only such a meeting is placed. */
export function isConfirmed(meeting: Pick<MeetingWithDetails, 'state' | 'zoomMeetingId'>): boolean {
  return Boolean(meeting.zoomMeetingId) && !['creating', 'failed', 'deleted'].includes(meeting.state);
}

/** Is the meeting still ahead (or running), or over? */
export function isUpcoming(meeting: MeetingWithDetails, now: number): boolean {
  if (meeting.state === 'creating' || meeting.state === 'failed') return true;
  if (meeting.state === 'started') return isLive(meeting, now) || nextStart(meeting, now) !== undefined;
  if (meeting.state === 'ended') return false;
  return nextStart(meeting, now) !== undefined;
}

/**
 * How long after its planned end a started meeting still counts as in progress when no
 * `meeting.ended` came (and no reconcile read Zoom's status): classes run over, not by this much.
 */
export const LIVE_GRACE_MS = 6 * 60 * 60_000;

/**
 * A host may open the room a little before the class: a started series counts its next
 * occurrence as the live one from this long before its start.
 */
export const LIVE_EARLY_MS = 15 * 60_000;

interface Start {
  start: Date;
  minutes: number;
  occurrenceId?: string;
}

/**
 * The start that is live now, if any: a started meeting's own start (not long over), or for a
 * started series the occurrence that is running (its start ≤ now < its end + the grace). Zoom says
 * only that the series' meeting is started: pressing Start a week before the first class, or a
 * `meeting.ended` that never came, does not put a class that is not running "In progress".
 */
function liveStart(meeting: MeetingWithDetails, now: number): Start | undefined {
  if (meeting.state !== 'started') return undefined;
  const running = (s: Start) =>
    s.start.getTime() - (meeting.recurrence ? LIVE_EARLY_MS : Infinity) <= now &&
    now < s.start.getTime() + s.minutes * 60_000 + LIVE_GRACE_MS;
  return startsOf(meeting).find(running);
}

function isLive(meeting: MeetingWithDetails, now: number): boolean {
  return liveStart(meeting, now) !== undefined;
}

/** The meeting's starts: its occurrences still on (a series), or its only start. */
function startsOf(meeting: MeetingWithDetails): Start[] {
  return meeting.recurrence
    ? meeting.occurrences
        .filter((o) => o.status === 'available')
        .map((o) => ({ start: o.startTime, minutes: o.durationMinutes, occurrenceId: o.occurrenceId }))
    : [{ start: meeting.startTime, minutes: meeting.durationMinutes }];
}

/** The next start whose end is still ahead, or undefined. */
function nextStart(meeting: MeetingWithDetails, now: number): Start | undefined {
  return startsOf(meeting).find((s) => s.start.getTime() + s.minutes * 60_000 > now);
}

/** Zoom's meeting ID as Zoom writes it: "812 3456 7890" (11 digits), "123 456 7890", "123 456 789". */
export function formatMeetingId(id: string): string {
  const groups: Record<number, number[]> = { 9: [3, 3, 3], 10: [3, 3, 4], 11: [3, 4, 4] };
  const sizes = /^\d+$/.test(id) ? groups[id.length] : undefined;
  if (!sizes) return id;
  let at = 0;
  return sizes
    .map((size) => {
      at += size;
      return id.slice(at - size, at);
    })
    .join(' ');
}

export function meetingView(
  meeting: MeetingWithDetails,
  viewer: Viewer,
  options: { viewerUserId: string; hostName: string; forStudent: boolean },
): MeetingView {
  const { t, locale } = viewer.translator;
  // The card shows the occurrence that is live (a class running over stays on its own date), else the next.
  const live = liveStart(meeting, viewer.now);
  const next: Start = live ??
    nextStart(meeting, viewer.now) ?? { start: meeting.startTime, minutes: meeting.durationMinutes };
  const upcoming = meeting.occurrences.filter(
    (o) => o.status === 'available' && o.startTime.getTime() + o.durationMinutes * 60_000 > viewer.now,
  );
  const when = formatInstant(next.start, viewer.timeZone, locale);
  const invitation = invitationText(meeting, viewer, { hostName: options.hostName, next: next.start });
  return {
    id: meeting.id,
    topic: meeting.topic,
    state: meeting.state,
    creating: meeting.state === 'creating',
    confirmed: isConfirmed(meeting),
    failed: meeting.state === 'failed',
    inProgress: live !== undefined,
    reconcileError:
      !options.forStudent && meeting.reconcileError && meeting.reconcileErrorAt
        ? t('meetings.reconcileError', {
            when: formatInstant(meeting.reconcileErrorAt, viewer.timeZone, locale),
            reason: meeting.reconcileError,
          })
        : undefined,
    when,
    whenIso: next.start.toISOString(),
    occurrenceId: next.occurrenceId,
    startsIn: t(
      // Its time has come but its host has not started it (a started one shows "In progress").
      meeting.state !== 'started' &&
        next.start.getTime() <= viewer.now &&
        viewer.now < next.start.getTime() + next.minutes * 60_000
        ? 'meetings.dueNotStarted'
        : 'meetings.startsIn',
      { relative: relativeFrom(next.start, viewer.now, locale) },
    ),
    durationText: t('meetings.duration', { minutes: meeting.durationMinutes }),
    recurrenceText: recurrenceText(meeting, viewer),
    occurrencesLeft: upcoming.length,
    upcomingOccurrences: upcoming.slice(0, 60).map((o) => ({
      id: o.occurrenceId,
      when: formatInstant(o.startTime, viewer.timeZone, locale),
      iso: o.startTime.toISOString(),
    })),
    joinUrl: meeting.joinUrl ?? undefined,
    linkChanged: meeting.linkChangedAt
      ? t('handover.linkChanged', { date: formatDate(meeting.linkChangedAt, viewer.timeZone, locale) })
      : undefined,
    takesAttendance: takesRegistration(meeting),
    passcode: meeting.passcode ?? undefined,
    zoomMeetingId: meeting.zoomMeetingId ?? undefined,
    meetingIdText: meeting.zoomMeetingId ? formatMeetingId(meeting.zoomMeetingId) : undefined,
    invitation,
    isHost: meeting.hostLmsUserId === options.viewerUserId,
    showRecordings: meeting.showRecordings,
    recordings:
      options.forStudent && !meeting.showRecordings
        ? []
        : meeting.recordings
            .filter((r) => !(options.forStudent && r.hidden))
            .map((r) => ({
              url: watchPath(meeting.id, r.zoomUuid),
              key: recordingKey(r.zoomUuid),
              when: r.startTime ? formatInstant(r.startTime, viewer.timeZone, locale) : '',
              iso: r.startTime?.toISOString() ?? '',
              hidden: r.hidden,
              shareState: r.shareState,
              shareError: r.shareError ?? undefined,
            })),
  };
}

/** The meeting form's model: values (posted again after an error, or a meeting's, or defaults) and errors. */
export function formView(input: {
  viewer: Viewer;
  values?: FormValues;
  meeting?: MeetingWithDetails;
  errors?: FieldErrors;
  /** Zoom refused what was sent: what happened and what to do (the values are the ones typed). */
  refusal?: { lines: string[]; reference: string };
  candidates: HostCandidate[];
  intent: string;
  /** The course's known sections (none: the form offers no choice; Moodle never sends any). */
  sections?: Array<{ id: string; name: string }>;
}) {
  const { viewer, meeting } = input;
  const zone = meeting?.timeZone ?? viewer.timeZone;
  const start = meeting?.startTime ?? new Date(Math.ceil((viewer.now + 60 * 60_000) / 3_600_000) * 3_600_000);
  const parts = formParts(start, zone);
  const recurrence = meeting?.recurrence;
  const defaults: FormValues = {
    topic: meeting?.topic ?? '',
    date: parts.date,
    startTime: parts.time,
    duration: String(meeting?.durationMinutes ?? 60),
    timeZone: zone,
    repeats: !recurrence
      ? 'never'
      : recurrence.type === 1
        ? 'daily'
        : recurrence.type === 2
          ? 'weekly'
          : 'monthly',
    on: recurrence?.weekly_days?.split(',') ?? [],
    ends: recurrence?.end_date_time ? 'date' : 'after',
    endDate: recurrence?.end_date_time ? formParts(new Date(recurrence.end_date_time), zone).date : '',
    endAfter: String(recurrence?.end_times ?? 10),
    passcode: meeting?.passcode ?? '',
    waitingRoom: meeting ? (meeting.settings.waitingRoom ? 'on' : '') : 'on',
    joinBeforeHost: meeting?.settings.joinBeforeHost ? 'on' : '',
    autoRecord: meeting?.settings.autoRecording === 'cloud' ? 'on' : '',
    alternativeHosts: meeting?.settings.alternativeHosts ?? [],
    audience: meeting?.sectionIds.length ? 'sections' : 'course',
    sections: meeting?.sectionIds ?? [],
  };
  // A posted form leaves out unchecked boxes and empty lists: those are off, not the defaults.
  const unchecked: FormValues = {
    waitingRoom: '',
    joinBeforeHost: '',
    autoRecord: '',
    on: [],
    alternativeHosts: [],
    sections: [],
  };
  const values = { ...defaults, ...(input.values ? { ...unchecked, ...input.values } : {}) };
  const errors = Object.fromEntries(
    Object.entries(input.errors ?? {}).map(([field, error]) => [
      field,
      typeof error === 'object'
        ? viewer.translator.t(`meetings.errors.${error.key}`, error.values)
        : viewer.translator.t(`meetings.errors.${error}`),
    ]),
  );
  const list = (value: string | string[] | undefined) =>
    Array.isArray(value) ? value : value ? [value] : [];
  return {
    values,
    on: list(values.on),
    alternativeHosts: list(values.alternativeHosts),
    // Sections: offered only when the course has known ones (or the meeting has some).
    sectionChoices: input.sections ?? [],
    sectionsChosen: list(values.sections),
    errors,
    errorList: Object.entries(errors),
    refusal: input.refusal?.lines ?? [],
    /** The refusal's error id (and request), as the error page gives it: HTML with no value in it. */
    reference: input.refusal?.reference ?? '',
    candidates: input.candidates,
    zones: zoneOptions({
      locale: viewer.translator.locale,
      now: viewer.now,
      selected: typeof values.timeZone === 'string' ? values.timeZone : undefined,
    }),
    intent: input.intent,
    editing: meeting !== undefined,
  };
}

export type FormView = ReturnType<typeof formView>;

import crypto from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError, errors } from '../shared/errors';
import type { Db } from '../storage';
import { ZoomApiError, zoomRecordings, type ZoomAccountApi } from '../zoom';
import type { CourseKey } from './meetings.repo';
import { recordingLink, zoomUuidOfKey } from './meetings.recordings';
import * as repo from './meetings.recordings.repo';
import { refusedSections } from './meetings.sections';
import type { BackgroundWork } from './meetings.service';

/** Zoom's sharing of one recording made as we want it: off and a new passcode, or on with a new one. */
export const RECORDING_SHARE_JOB = 'meetings.recording.share';
/** Tries (5 s, 10 s, 20 s, 40 s, 80 s apart): after the last the recording stays `failed` for staff. */
export const RECORDING_SHARE_ATTEMPTS = 6;

/**
 * Why the last change of sharing failed, as staff are told it (locales `recordings.error.*`: what
 * happened and what to do): the school's Zoom connection (reconnect, with the recording scopes),
 * Zoom refused it, Zoom did not answer (tried again by itself), or Zoom no longer has the recording.
 */
export type ShareError = 'connection' | 'refused' | 'unavailable' | 'gone';

/** Zoom's scopes that change a recording's settings (classic, granular). */
export const RECORDING_WRITE_SCOPES = [
  'recording:write:admin',
  'cloud_recording:update:recording_settings:admin',
];

/** Why a watch link does not play (the page says it in words, views/meetings/recording-unavailable.ejs). */
export type WatchRefusal = 'hidden' | 'pending' | 'unavailable';

const jobPayload = z.object({ schoolId: z.string(), meetingId: z.string(), zoomUuid: z.string() });

export interface RecordingsHidingDeps {
  db: Db;
  jobs: BackgroundWork;
  /** The school's Zoom account (refused with the connection's error when it is not usable). */
  accountApi(schoolId: string): Promise<ZoomAccountApi>;
  /**
   * The scopes Zoom granted the school's connection. A recording is not changed without the
   * recording write scope: Zoom would answer 4711, which marks the whole connection for a reconnect.
   */
  grantedScopes?(schoolId: string): Promise<string[]>;
  logger: Logger;
  now?: () => number;
}

/**
 * Hiding a recording from students revokes it for anyone who kept its link (mod_zoom #652): its
 * row is marked hidden at once (students stop being served it) and a job turns Zoom's sharing of it
 * off and rotates its passcode (`share_state` revoking → revoked, or failed with the reason for
 * staff, retried with backoff). Showing it again turns sharing on with another new passcode and
 * keeps the new link Zoom gives; a link kept from before still carries an old passcode and stays
 * refused. The meeting's "show recordings" switch does the same for all of its recordings that are
 * not hidden one by one. No Zoom call inside a transaction: the change and its job are written
 * together, Zoom is called by the job.
 */
export class RecordingsHiding {
  private readonly now: () => number;

  constructor(private readonly deps: RecordingsHidingDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Staff hide (`hidden`) or show a recording of their course; 404 for another course's or a bad key. */
  async setHidden(
    course: CourseKey,
    meetingId: string,
    key: string,
    hidden: boolean,
    by: string,
  ): Promise<void> {
    const zoomUuid = zoomUuidOfKey(key);
    if (!zoomUuid) throw errors.notFound();
    const ref = { meetingId, zoomUuid };
    await this.deps.db.transaction(async (tx) => {
      const found = await repo.recordingInCourse(tx, course, ref);
      if (!found) throw errors.notFound();
      const settled = hidden ? 'revoked' : 'shared';
      if (found.recording.hidden === hidden && found.recording.shareState === settled) return;
      await repo.setHidden(tx, ref, {
        hidden,
        by,
        at: new Date(this.now()),
        shareState: hidden ? 'revoking' : 'restoring',
      });
      await this.enqueue(found.meeting.schoolId, ref, tx);
    });
  }

  /**
   * Where a viewer of the course is sent to watch a recording (Zoom's current link), or why not:
   * hidden (by itself, or students do not see the meeting's recordings), being shared again, or
   * Zoom's sharing could not be turned on. 404 for another course's recording or a bad key.
   */
  async watch(
    course: CourseKey,
    meetingId: string,
    key: string,
    viewer: { staff: boolean; userId: string; sectionIds: string[] | undefined },
  ): Promise<{ url: string } | { refused: WatchRefusal; topic: string }> {
    const { staff } = viewer;
    const zoomUuid = zoomUuidOfKey(key);
    if (!zoomUuid) throw errors.notFound();
    const found = await repo.recordingInCourse(this.deps.db, course, { meetingId, zoomUuid });
    if (!found) throw errors.notFound();
    const { recording, meeting } = found;
    const topic = meeting.topic;
    // A class meant for sections the student is not in: its recording is not theirs either.
    const others = staff ? undefined : await refusedSections(this.deps.db, course, meeting, viewer);
    if (others !== undefined) throw errors.meetingOtherSection({ sections: others });
    if (recording.hidden || (!staff && !meeting.showRecordings)) return { refused: 'hidden', topic };
    if (recording.shareState === 'shared') return { url: recording.playUrl };
    if (recording.shareState === 'restoring') return { refused: 'pending', topic };
    return { refused: recording.shareState === 'failed' ? 'unavailable' : 'hidden', topic };
  }

  /**
   * The meeting's "show recordings" switch was set: with it off, each recording students could have
   * been given is revoked too; with it on again, each one not hidden by itself is shared again with
   * a new passcode. A recording already as wanted is left alone.
   */
  async meetingSwitched(course: CourseKey, meetingId: string, show: boolean): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      for (const recording of await repo.recordingsOfMeeting(tx, meetingId)) {
        const ref = { meetingId, zoomUuid: recording.zoomUuid };
        const found = await repo.recordingInCourse(tx, course, ref);
        if (!found || recording.hidden) continue;
        const wanted = show ? 'shared' : 'revoked';
        if (recording.shareState === wanted) continue;
        await repo.setShareState(tx, ref, show ? 'restoring' : 'revoking');
        await this.enqueue(found.meeting.schoolId, ref, tx);
      }
    });
  }

  /**
   * The job: sharing off (hidden, or the meeting's recordings not shown) or on, each time with a
   * new passcode; once on, the new link read back from Zoom. A failure is written for staff
   * (`failed`, its reason) and the job tried again until its last attempt.
   */
  async share(payload: Record<string, unknown>, run: { attempt?: number } = {}): Promise<void> {
    const { schoolId, ...ref } = jobPayload.parse(payload);
    const found = await repo.recordingOfSchool(this.deps.db, schoolId, ref);
    if (!found) return;
    const hidden = found.recording.hidden;
    const revoke = hidden || !found.meeting.showRecordings;
    let playUrl: string | undefined;
    try {
      const granted = await this.deps.grantedScopes?.(schoolId);
      if (granted && granted.length > 0 && !RECORDING_WRITE_SCOPES.some((scope) => granted.includes(scope)))
        throw errors.zoomReconnectRequired();
      const api = zoomRecordings(await this.deps.accountApi(schoolId));
      await api.updateSharing(ref.zoomUuid, {
        share_recording: revoke ? 'none' : 'publicly',
        password: newPasscode(),
      });
      if (!revoke) {
        playUrl = recordingLink(await api.recording(ref.zoomUuid));
        if (!playUrl)
          throw new ZoomApiError({ status: 200, kind: 'invalid_response', zoomMessage: 'No share link.' });
      }
    } catch (error) {
      const reason = shareErrorOf(error);
      // Zoom no longer has it: nobody can play it, which is what hiding wants.
      if (reason === 'gone' && revoke) {
        await repo.recordShareOutcome(
          this.deps.db,
          ref,
          { hidden },
          { shareState: 'revoked', shareError: null },
        );
        return;
      }
      await repo.recordShareOutcome(
        this.deps.db,
        ref,
        { hidden },
        { shareState: 'failed', shareError: reason },
      );
      this.deps.logger.warn(
        { meetingId: ref.meetingId, reason, attempt: run.attempt, err: describe(error) },
        'recording sharing not changed at Zoom',
      );
      if (reason !== 'gone' && (run.attempt ?? 1) < RECORDING_SHARE_ATTEMPTS) throw error;
      return;
    }
    await repo.recordShareOutcome(
      this.deps.db,
      ref,
      { hidden },
      { shareState: revoke ? 'revoked' : 'shared', shareError: null, playUrl },
    );
  }

  private enqueue(schoolId: string, ref: repo.RecordingRef, tx: Parameters<BackgroundWork['enqueue']>[4]) {
    return this.deps.jobs.enqueue(
      RECORDING_SHARE_JOB,
      `${ref.meetingId}|${ref.zoomUuid}`,
      { schoolId, ...ref },
      undefined,
      tx,
    );
  }
}

/** A recording passcode Zoom takes (10 letters and digits), new each time. */
export function newPasscode(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...crypto.randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('');
}

function shareErrorOf(error: unknown): ShareError {
  // Our own refusal before any call: the school's Zoom is not connected or needs a reconnect.
  if (error instanceof AppError) return 'connection';
  if (!(error instanceof ZoomApiError)) return 'unavailable';
  switch (error.kind) {
    case 'not_found':
      return 'gone';
    case 'unauthorized':
    case 'missing_scopes':
      return 'connection';
    case 'invalid_request':
    case 'forbidden':
    case 'conflict':
      return 'refused';
    default:
      return 'unavailable';
  }
}

/** Zoom's words only: never a header or a token. */
function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

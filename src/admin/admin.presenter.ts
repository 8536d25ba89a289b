import type { AdminService } from './admin.service';

/** The console's pages as plain models: labels and times decided here, the templates only print. */

type Schools = Awaited<ReturnType<AdminService['schools']>>;
type School = Awaited<ReturnType<AdminService['school']>>;

const ZOOM_STATUS: Record<string, string> = {
  none: 'Not connected',
  connected: 'Connected',
  reconnect_required: 'Reconnect required',
  disconnected: 'Disconnected',
};

/** What each background job does, as the operator reads it (an unknown kind shows its code only). */
const JOB_KINDS: Record<string, string> = {
  'meetings.reconcile': "Reading a course's meetings from Zoom",
  'meetings.confirm-create': 'Confirming a meeting Zoom did not answer for',
  'provisioning.retry': "Making an instructor's Zoom user",
};

export const zoomStatusLabel = (status: string | null | undefined) => ZOOM_STATUS[status ?? 'none'] ?? status;

const at = (date: Date | null | undefined) =>
  date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;

export function schoolsPage(rows: Schools) {
  return {
    title: 'Schools',
    schools: rows.map((row) => ({
      id: row.id,
      name: row.name,
      timeZone: row.timeZone,
      /** Made by the sandbox (`npm start`), not a real school. */
      sandbox: row.sandbox,
      registrations: row.registrations,
      zoomStatus: row.zoomStatus ?? 'none',
      zoomLabel: zoomStatusLabel(row.zoomStatus),
    })),
  };
}

export function tokenHealth(expiresAt: Date | null | undefined, now: number): string {
  if (!expiresAt) return 'No access token held';
  const minutes = Math.round((expiresAt.getTime() - now) / 60_000);
  return minutes <= 0
    ? `Expired ${at(expiresAt)} (renewed at the next use)`
    : `Expires ${at(expiresAt)} (in ${minutes} min)`;
}

export function schoolPage(
  model: School,
  now: number,
  invite?: { registrationUrl: string; expiresAt: string },
) {
  const { school, registrations, zoom } = model;
  return {
    title: school.name,
    school,
    invite,
    registrations: registrations.map((registration) => ({
      id: registration.id,
      issuer: registration.issuer,
      clientId: registration.clientId,
      active: registration.active,
      statusLabel: registration.active ? 'Active' : 'Deactivated: launches are refused',
      acceptNewDeployments: registration.acceptNewDeployments,
      createdAt: at(registration.createdAt),
      deployments: registration.deployments.map((deployment) => ({
        id: deployment.deploymentId,
        active: deployment.active,
        statusLabel: deployment.active ? 'Active' : 'Deactivated',
        source: deployment.source === 'launch' ? 'recorded from a launch' : 'registered',
        createdAt: at(deployment.createdAt),
      })),
    })),
    zoom: {
      status: zoom?.status ?? 'none',
      label: zoomStatusLabel(zoom?.status),
      kind: zoom
        ? zoom.kind === 'oauth'
          ? 'Zoom Marketplace app (OAuth)'
          : 'Server-to-Server app'
        : undefined,
      accountId: zoom?.zoomAccountId,
      token: zoom ? tokenHealth(zoom.accessTokenExpiresAt, now) : undefined,
      lastError: zoom?.lastError ?? undefined,
      connectedAt: at(zoom?.connectedAt),
      updatedAt: at(zoom?.updatedAt),
    },
    errors: model.errors.map((error) => ({ ...error, at: at(error.at) })),
    retention: model.retention && {
      meetingsDays: model.retention.meetingsDays,
      attendanceDays: model.retention.attendanceDays,
      logsDays: model.retention.logsDays,
      changed: model.retention.updatedBy
        ? `${model.retention.updatedBy}, ${at(model.retention.updatedAt ?? undefined)}`
        : undefined,
    },
    failedJobs: model.failedJobs.map((job) => ({
      kind: job.kind,
      what: JOB_KINDS[job.kind] ?? 'Background work',
      failedAt: at(new Date(job.failed_at)),
      attempts: Number(job.attempts),
      lastError: job.last_error ?? 'None recorded',
    })),
  };
}

export interface AddSchoolProblem {
  field: 'name' | 'timeZone' | 'days';
  message: string;
  /** The school that already has the name, to open it instead. */
  schoolId?: string;
}

/** "Add a school": the form (as sent, after a refusal) and each field's problem. */
export function addSchoolPage(
  values: { name?: unknown; timeZone?: unknown; link?: unknown; days?: unknown } = {},
  problems: AddSchoolProblem[] = [],
) {
  const text = (value: unknown, fallback = '') => (typeof value === 'string' ? value : fallback);
  return {
    title: 'Add a school',
    values: {
      name: text(values.name),
      timeZone: text(values.timeZone),
      // A first visit offers the link ticked; a refused form keeps what was sent.
      link: problems.length === 0 && values.name === undefined ? true : values.link === 'yes',
      days: text(values.days, '7'),
    },
    problems,
    fieldErrors: Object.fromEntries(problems.map((problem) => [problem.field, problem.message])),
  };
}

import type { Services } from '../services';
import type { Sandbox, SandboxSchool } from './sandbox';

/** The sandbox home page's model: where to click, and what the simulated Zoom saw. */
export interface SandboxHomeModel {
  toolUrl: string;
  zoomUrl: string;
  zoomIsSimulated: boolean;
  schools: Array<{
    key: string;
    name: string;
    productName: string;
    lmsUrl: string;
    /** The LMS's course page, framing the tool, as each person of the course. */
    open: Array<{ who: 'instructor' | 'student' | 'administrator'; name: string; href: string }>;
    zoom: {
      accountId: string;
      adminEmail: string;
      /** The tool's view of the school's connection (none, connected, reconnect_required…). */
      connection: string;
      users: Array<{ email: string; status: string; licensed: boolean }>;
      meetings: Array<{ id: number; topic: string; start: string; status: string }>;
    };
  }>;
  webhooks: Array<{ at: string; event: string; account: string; status: string; ok: boolean }>;
}

const LATEST_WEBHOOKS = 15;

function accountOfDelivery(body: string): string {
  try {
    const parsed = JSON.parse(body) as { payload?: { account_id?: unknown } };
    return typeof parsed.payload?.account_id === 'string' ? parsed.payload.account_id : '';
  } catch {
    return '';
  }
}

async function schoolModel(sandbox: Sandbox, services: Services, school: SandboxSchool) {
  const { lms, spec, zoomAccount } = school;
  const connection = school.schoolId ? (await services.zoom.connect.view(school.schoolId)).status : 'none';
  return {
    key: spec.key,
    name: spec.name,
    productName: spec.productName,
    lmsUrl: lms.baseUrl,
    open: [
      {
        who: 'instructor' as const,
        name: lms.users.instructor.name,
        href: lms.coursePageUrl(lms.users.instructor.id),
      },
      {
        who: 'student' as const,
        name: lms.users.learner.name,
        href: lms.coursePageUrl(lms.users.learner.id),
      },
      {
        who: 'administrator' as const,
        name: lms.users.admin.name,
        href: lms.coursePageUrl(lms.users.admin.id),
      },
    ],
    zoom: {
      accountId: zoomAccount.accountId,
      adminEmail: zoomAccount.adminEmail,
      connection,
      users: sandbox.zoom
        .users(zoomAccount.accountId)
        .filter((user) => user.email !== zoomAccount.adminEmail)
        .map((user) => ({ email: user.email, status: user.status, licensed: user.type === 2 })),
      meetings: sandbox.zoom.meetings(zoomAccount.accountId).map((meeting) => ({
        id: meeting.id,
        topic: meeting.topic,
        start: meeting.start_time === null ? 'no fixed time' : new Date(meeting.start_time).toISOString(),
        status: meeting.status,
      })),
    },
  };
}

export async function sandboxHome(sandbox: Sandbox, services: Services): Promise<SandboxHomeModel> {
  const accounts = new Map(sandbox.schools.map((school) => [school.zoomAccount.accountId, school.spec.name]));
  return {
    toolUrl: sandbox.config.publicUrl,
    zoomUrl: sandbox.zoom.baseUrl,
    zoomIsSimulated: sandbox.zoomIsSimulated,
    schools: await Promise.all(sandbox.schools.map((school) => schoolModel(sandbox, services, school))),
    webhooks: sandbox.zoom
      .webhookDeliveries()
      .slice(-LATEST_WEBHOOKS)
      .reverse()
      .map((attempt) => {
        const account = accountOfDelivery(attempt.body);
        return {
          at: attempt.at,
          event: attempt.event,
          account: accounts.get(account) ?? (account || 'the app'),
          status: attempt.status === null ? (attempt.error ?? 'no answer') : String(attempt.status),
          ok: attempt.ok,
        };
      }),
  };
}

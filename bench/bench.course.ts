import type { Agent } from 'undici';
import { createLmsEmulator, type LmsEmulator } from '../src/sandbox/lms';
import { keepAliveAgent, launch, page } from './bench.client';
import {
  startTool,
  startZoomSim,
  type DatabaseKind,
  type ToolProcess,
  type ZoomSimProcess,
} from './bench.processes';
import { addLearners } from './bench.types';

/**
 * A course ready for class: this tool (its own process) with the school's Zoom connected through
 * the school's own Server-to-Server app in the Zoom simulator (its own process), the instructor an
 * active Zoom user, `meetings` meetings scheduled through the tool's routes, and `learners`
 * students who have launched once before (as at any class after the first).
 */
export interface Course {
  tool: ToolProcess;
  lms: LmsEmulator;
  zoom: ZoomSimProcess;
  accountId: string;
  learners: string[];
  agent: Agent;
  /** The instructor's course page URL (with their ltik). */
  instructorPage: string;
  /** Zoom API requests (under /v2) of this account since the log was last cleared. */
  zoomApiRequests(): Promise<number>;
  /** Those requests, as `METHOD path` lines (for a note when there should have been none). */
  zoomRequestLines(): Promise<string[]>;
  clearZoomRequests(): Promise<void>;
  stop(): Promise<void>;
}

const field = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

export async function startCourse(options: {
  database: DatabaseKind;
  meetings: number;
  learners: number;
  /** The school's app sends Zoom's events to the tool (as a school that set up event subscriptions). */
  webhooks?: boolean;
  log(line: string): void;
}): Promise<Course> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const zoom = await startZoomSim();
    stops.push(() => zoom.stop());
    const account = await zoom.control<{ account_id: string }>('POST', '/accounts', {
      plan: 'business',
      licensed_seats: 10,
    });
    const s2s = await zoom.control<{ client_id: string; client_secret: string }>('POST', '/apps', {
      kind: 's2s',
      account_id: account.account_id,
    });
    const lms = createLmsEmulator({ profile: 'moodle' });
    await lms.start();
    stops.push(() => lms.stop());
    const learners = addLearners(lms, 'class-learner', options.learners);
    const tool = await startTool({
      database: options.database,
      lms,
      env: { ZOOM_OAUTH_URL: zoom.url, ZOOM_API_URL: `${zoom.url}/v2`, ZOOM_DEFAULT_PLAN: 'business' },
    });
    stops.push(() => tool.stop());
    lms.setTool({ loginUrl: tool.loginUrl, launchUrl: tool.launchUrl, jwksUrl: tool.jwksUrl });
    const agent = keepAliveAgent(50);
    stops.push(() => agent.close());

    options.log(`course on ${options.database}: connecting Zoom (S2S) as the school's admin`);
    const admin = await launch(agent, lms, tool, lms.users.admin.id);
    // The school's Zoom page carries the session's form token, as every form posting a change does.
    const zoomPage = await page(agent, `${tool.url}/lti/zoom?ltik=${encodeURIComponent(admin.ltik)}`, {
      expect: [200],
    });
    await page(agent, `${tool.url}/lti/zoom/s2s`, {
      form: {
        ltik: admin.ltik,
        csrf: field(zoomPage.body, 'csrf'),
        accountId: account.account_id,
        clientId: s2s.client_id,
        clientSecret: s2s.client_secret,
      },
      expect: [303],
    });
    if (options.webhooks) {
      // As the school's Zoom admin does: the tool's page names the endpoint for the app's event
      // subscription; the app (with it) is connected again with its secret token.
      const connected = await page(agent, `${tool.url}/lti/zoom?ltik=${encodeURIComponent(admin.ltik)}`, {
        expect: [200],
      });
      const endpoint = /<code>(https?:\/\/[^<]+\/zoom\/webhook\/[^<]+)<\/code>/.exec(connected.body)?.[1];
      if (!endpoint) throw new Error("the Zoom page names no webhook endpoint for the school's app");
      const app = await zoom.control<{
        client_id: string;
        client_secret: string;
        webhook_secret_token: string;
      }>('POST', '/apps', { kind: 's2s', account_id: account.account_id, webhook_url: endpoint });
      await page(agent, `${tool.url}/lti/zoom/s2s`, {
        form: {
          ltik: admin.ltik,
          csrf: field(connected.body, 'csrf'),
          accountId: account.account_id,
          clientId: app.client_id,
          clientSecret: app.client_secret,
          webhookSecretToken: app.webhook_secret_token,
        },
        expect: [303],
      });
    }

    // The instructor's first launch creates their Zoom user (pending); they activate it at Zoom.
    const instructor = lms.users.instructor;
    await launch(agent, lms, tool, instructor.id);
    await zoom.control('POST', `/users/${encodeURIComponent(instructor.email ?? '')}/activate`);
    let course = await launch(agent, lms, tool, instructor.id);
    options.log(`course on ${options.database}: the instructor schedules ${options.meetings} meetings`);
    for (let i = 0; i < options.meetings; i += 1) {
      const html = course.html;
      const scheduled = await page(agent, `${tool.url}/lti/meetings`, {
        form: meetingForm(i, { ltik: course.ltik, csrf: field(html, 'csrf'), intent: field(html, 'intent') }),
        expect: [303],
      });
      const next = await page(agent, scheduled.location as string, { expect: [200] });
      course = { ...course, html: next.body };
    }

    const state = await zoom.control<{ meetings: unknown[] }>('GET', `/accounts/${account.account_id}`);
    if (state.meetings.length !== options.meetings) {
      throw new Error(`Zoom has ${state.meetings.length} meetings of the ${options.meetings} scheduled`);
    }

    options.log(`course on ${options.database}: ${learners.length} students launch once before class`);
    for (let i = 0; i < learners.length; i += 25) {
      await Promise.all(learners.slice(i, i + 25).map((id) => launch(agent, lms, tool, id)));
    }

    const zoomApiRequests = async () =>
      (await zoom.zoomRequests(account.account_id)).filter((entry) => entry.path.startsWith('/v2/')).length;
    // The school admin's first launch (before Zoom was connected) asked for a reconciliation of the
    // course; the job failed then and is retried with the job runner's backoff. Wait until it has
    // read every meeting from Zoom and the log has been quiet for 3 s, so that it is not counted
    // against what comes next.
    const settleStarted = Date.now();
    const reconciled = async () =>
      (await zoom.zoomRequests(account.account_id)).filter(
        (entry) =>
          (entry as { method?: string }).method === 'GET' && /^\/v2\/meetings\/\d+$/.test(entry.path),
      ).length >= options.meetings;
    while (!(await reconciled()) && Date.now() - settleStarted < 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    let quietSince = Date.now();
    let seen = await zoomApiRequests();
    while (Date.now() - quietSince < 3_000 && Date.now() - settleStarted < 90_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const now = await zoomApiRequests();
      if (now !== seen) [seen, quietSince] = [now, Date.now()];
    }
    return {
      tool,
      lms,
      zoom,
      accountId: account.account_id,
      learners,
      agent,
      instructorPage: course.courseUrl,
      zoomApiRequests,
      async zoomRequestLines() {
        return (await zoom.zoomRequests(account.account_id)).map(
          (entry) => `${(entry as { method?: string }).method ?? ''} ${entry.path} ${entry.status ?? ''}`,
        );
      },
      async clearZoomRequests() {
        await zoom.control('DELETE', '/requests');
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The scheduling form as an instructor fills it: one weekly class a day apart from the others. */
function meetingForm(
  i: number,
  session: { ltik: string; csrf: string; intent: string },
): Record<string, string> {
  const day = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 2, 1 + i));
  return {
    ...session,
    topic: `Bench class ${i + 1}`,
    date: day.toISOString().slice(0, 10),
    startTime: '09:00',
    duration: '60',
    timeZone: 'America/New_York',
    repeats: i % 2 === 0 ? 'never' : 'weekly',
    on: String(day.getUTCDay() + 1),
    ends: 'after',
    endAfter: '10',
    passcode: 'abc123',
    waitingRoom: 'on',
  };
}

import { Agent, request, type Dispatcher } from 'undici';
import type { LmsEmulator } from '../src/sandbox/lms';
import type { ToolProcess } from './bench.processes';

/**
 * The load generator: a browser's part of an LTI 1.3 launch, with keep-alive connections (undici)
 * and one cookie jar per launch. The same code drives every tool.
 *
 *   platform-initiated login (POST tool login) → 302 to the platform's auth endpoint (GET, HTTP) →
 *   form_post of the signed id token (POST tool launch) → 302/303 → the course page (GET, 200).
 */

export function keepAliveAgent(connections: number): Agent {
  return new Agent({ connections, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, pipelining: 1 });
}

class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(headers: Dispatcher.ResponseData['headers']): void {
    const set = headers['set-cookie'];
    for (const line of ([] as string[]).concat(set ?? [])) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
const unescapeHtml = (value: string) =>
  value.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);

/** The auto-posting form the platform's auth endpoint answers: its action and fields. */
function parseAutoPost(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1];
  if (!action) throw new Error(`the auth endpoint answered no form: ${html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescapeHtml(match[1] ?? '')] = unescapeHtml(match[2] ?? '');
  }
  return { action: unescapeHtml(action), fields };
}

export class LaunchError extends Error {}

async function send(
  dispatcher: Dispatcher,
  url: string,
  options: { method: 'GET' | 'POST'; form?: Record<string, string>; jar: CookieJar },
): Promise<{ status: number; location?: string; body: string }> {
  const headers: Record<string, string> = { accept: 'text/html' };
  const cookie = options.jar.header();
  if (cookie) headers.cookie = cookie;
  let body: string | undefined;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const response = await request(url, { method: options.method, headers, body, dispatcher });
  options.jar.take(response.headers);
  const text = await response.body.text();
  const location = response.headers.location;
  return {
    status: response.statusCode,
    location: typeof location === 'string' ? new URL(location, url).toString() : undefined,
    body: text,
  };
}

export interface LaunchResult {
  ms: number;
  /** The ltik of the course page's URL (empty for a tool that names it otherwise). */
  ltik: string;
  html: string;
  courseUrl: string;
}

/** One full launch of `userId` into `tool` by `lms`, timed from the login to the course page. */
export async function launch(
  dispatcher: Dispatcher,
  lms: LmsEmulator,
  tool: ToolProcess,
  userId: string,
  options: { courseId?: string } = {},
): Promise<LaunchResult> {
  const started = performance.now();
  const jar = new CookieJar();
  const login = await send(dispatcher, tool.loginUrl, {
    method: 'POST',
    form: lms.loginInitiation(userId, options.courseId ? { courseId: options.courseId } : {}),
    jar,
  });
  if ((login.status !== 302 && login.status !== 303) || !login.location) {
    throw new LaunchError(`login answered ${login.status}: ${login.body.slice(0, 200)}`);
  }
  const auth = await send(dispatcher, login.location as string, { method: 'GET', jar: new CookieJar() });
  if (auth.status !== 200) throw new LaunchError(`the platform's auth endpoint answered ${auth.status}`);
  const form = parseAutoPost(auth.body);
  const posted = await send(dispatcher, form.action, { method: 'POST', form: form.fields, jar });
  if ((posted.status !== 302 && posted.status !== 303) || !posted.location) {
    throw new LaunchError(`launch answered ${posted.status}: ${posted.body.slice(0, 200)}`);
  }
  const course = await send(dispatcher, posted.location, { method: 'GET', jar });
  if (course.status !== 200) {
    throw new LaunchError(`the course page answered ${course.status}: ${course.body.slice(0, 200)}`);
  }
  return {
    ms: performance.now() - started,
    ltik: new URL(posted.location).searchParams.get('ltik') ?? '',
    html: course.body,
    courseUrl: posted.location,
  };
}

/** A GET or form POST with the ltik, for pages after the launch; throws unless `expect` answers. */
export async function page(
  dispatcher: Dispatcher,
  url: string,
  options: { form?: Record<string, string | string[]>; expect: number[] },
): Promise<{ status: number; location?: string; body: string; ms: number }> {
  const started = performance.now();
  const headers: Record<string, string> = { accept: 'text/html' };
  let body: string | undefined;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(options.form)) {
      for (const one of ([] as string[]).concat(value)) params.append(name, one);
    }
    body = params.toString();
  }
  const response = await request(url, {
    method: options.form ? 'POST' : 'GET',
    headers,
    body,
    dispatcher,
  });
  const text = await response.body.text();
  const ms = performance.now() - started;
  if (!options.expect.includes(response.statusCode)) {
    throw new Error(
      `${options.form ? 'POST' : 'GET'} ${new URL(url).pathname} answered ${response.statusCode}: ${text.slice(0, 300)}`,
    );
  }
  const location = response.headers.location;
  return {
    status: response.statusCode,
    location: typeof location === 'string' ? new URL(location, url).toString() : undefined,
    body: text,
    ms,
  };
}

export interface LoadResult {
  latencies: number[];
  errors: number;
  firstErrors: string[];
  wallMs: number;
}

/**
 * Runs `count` jobs with at most `concurrency` in flight (a closed loop), or — with `arrivalMs` —
 * starts job i at i·arrivalMs/count (an open loop: arrivals do not wait for answers).
 */
export async function runLoad(
  count: number,
  job: (index: number) => Promise<{ ms: number }>,
  options: { concurrency: number } | { arrivalMs: number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  const firstErrors: string[] = [];
  let errors = 0;
  const one = async (index: number) => {
    try {
      latencies.push((await job(index)).ms);
    } catch (error) {
      errors += 1;
      if (firstErrors.length < 3) firstErrors.push(error instanceof Error ? error.message : String(error));
    }
  };
  const started = performance.now();
  if ('concurrency' in options) {
    let next = 0;
    const worker = async () => {
      while (next < count) await one(next++);
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, count) }, worker));
  } else {
    await Promise.all(
      Array.from({ length: count }, async (_, index) => {
        const due = started + (index * options.arrivalMs) / count;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await one(index);
      }),
    );
  }
  return { latencies, errors, firstErrors, wallMs: performance.now() - started };
}

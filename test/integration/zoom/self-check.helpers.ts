import request from 'supertest';
import type { Express } from 'express';

export interface CheckRow {
  status: string;
  text: string;
}

/** The admin page's forms' hidden values and the test cookie it set. */
export async function adminPage(app: Express, ltik: string) {
  const page = await request(app)
    .get(`/lti/zoom?ltik=${encodeURIComponent(ltik)}`)
    .accept('html');
  const setCookie = ([] as string[]).concat(page.headers['set-cookie'] ?? []);
  return {
    page,
    csrf: /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '',
    probe: /name="probe" value="([^"]+)"/.exec(page.text)?.[1] ?? '',
    probeSetCookie: setCookie.find((line) => line.startsWith('zoom_selfcheck=')) ?? '',
  };
}

/**
 * Presses "Run the self-check" as a browser would: with the test cookie the page set (a browser
 * that keeps the tool's cookies in the frame) or without it (one that does not).
 */
export async function runSelfCheck(
  app: Express,
  ltik: string,
  options: { keepsCookies?: boolean } = {},
): Promise<{ response: request.Response; checks: Record<string, CheckRow> }> {
  const { csrf, probe, probeSetCookie } = await adminPage(app, ltik);
  const post = request(app)
    .post('/lti/zoom/self-check')
    .type('form')
    .accept('html')
    .send({ ltik, csrf, probe });
  if (options.keepsCookies !== false) post.set('Cookie', probeSetCookie.split(';')[0] ?? '');
  const response = await post;
  return { response, checks: checksOf(response.text) };
}

/** Each result on the page: its status and its words (tags dropped, entities of quotes kept readable). */
export function checksOf(html: string): Record<string, CheckRow> {
  const checks: Record<string, CheckRow> = {};
  const item = /<li class="check-result" data-check="(\w+)" data-status="(\w+)">([\s\S]*?)<\/li>/g;
  for (let match = item.exec(html); match; match = item.exec(html)) {
    const [, id = '', status = '', body = ''] = match;
    checks[id] = {
      status,
      text: body
        .replace(/<[^>]+>/g, ' ')
        .replace(/&#39;/g, "'")
        .replace(/&#34;|&quot;/g, '"')
        .replace(/&amp;/g, '&')
        .replace(/\s+/g, ' ')
        .trim(),
    };
  }
  return checks;
}

export const statuses = (checks: Record<string, CheckRow>) =>
  Object.fromEntries(Object.entries(checks).map(([id, row]) => [id, row.status]));

import crypto from 'node:crypto';
import request from 'supertest';
import {
  LTI_SCOPES,
  createLmsEmulator,
  type LmsEmulator,
  type LmsProfileName,
} from '../../../../src/sandbox/lms';
import { startToolKeys, type ToolKeys } from './lms.helpers';

/** What the AGS suites of the LMS emulator share: media types, URL shapes, a tool's token, a fixture. */
export const AGS_CLAIM = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const LINE_ITEM = 'application/vnd.ims.lis.v2.lineitem+json';
export const CONTAINER = 'application/vnd.ims.lis.v2.lineitemcontainer+json';
export const SCORE = 'application/vnd.ims.lis.v1.score+json';
export const RESULTS = 'application/vnd.ims.lis.v2.resultcontainer+json';
export const ALL_AGS = [LTI_SCOPES.lineItem, LTI_SCOPES.score, LTI_SCOPES.resultReadonly].join(' ');
export const PROFILES: LmsProfileName[] = ['moodle', 'canvas'];

/** Path and query of an absolute URL the LMS gave (supertest talks to the app). */
export const pathOf = (url: string) => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};
/** `{lineitem}/scores`: the child goes before the query (Moodle's `?type_id=1`). */
export const childOf = (lineItemUrl: string, child: 'scores' | 'results') => {
  const parsed = new URL(lineItemUrl);
  parsed.pathname += `/${child}`;
  return pathOf(parsed.toString());
};
/**
 * Moodle 4.5 writes its Link header's rel values in typographic quotes (rel=“next”, lineitems.php),
 * as UTF-8 bytes: a Node client reads them as latin1. A tool's parser has to take both forms.
 */
export const MOODLE_QUOTES = {
  open: Buffer.from('“').toString('latin1'),
  close: Buffer.from('”').toString('latin1'),
};
export const nextLink = (link: string | undefined) =>
  new RegExp(`<([^>]+)>;\\s*rel=(?:"|${MOODLE_QUOTES.open})next(?:"|${MOODLE_QUOTES.close})`).exec(
    link ?? '',
  )?.[1];

/** The emulator of one profile, registered with a throwaway tool whose keys sign its assertions. */
export async function startEmulatorWithTool(
  profile: LmsProfileName,
): Promise<{ lms: LmsEmulator; toolKeys: ToolKeys }> {
  const toolKeys = await startToolKeys();
  const lms = createLmsEmulator({
    profile,
    tool: {
      loginUrl: `${toolKeys.baseUrl}/lti/login`,
      launchUrl: `${toolKeys.baseUrl}/lti/launch`,
      jwksUrl: toolKeys.jwksUrl,
    },
  });
  await lms.start();
  return { lms, toolKeys };
}

/** An access token for `scope`, as the tool gets one: client credentials with its signed assertion. */
export async function serviceToken(lms: LmsEmulator, toolKeys: ToolKeys, scope: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const assertion = toolKeys.sign({
    iss: lms.clientId,
    sub: lms.clientId,
    aud: lms.tokenUrl,
    iat: now,
    exp: now + 300,
    jti: crypto.randomUUID(),
  });
  const response = await request(lms.app)
    .post(new URL(lms.tokenUrl).pathname)
    .type('form')
    .send({
      grant_type: 'client_credentials',
      client_assertion_type: JWT_BEARER,
      client_assertion: assertion,
      scope,
    })
    .expect(200);
  return response.body.access_token as string;
}

/**
 * One profile's emulator for a describe block (started in its beforeAll, stopped in its afterAll)
 * with a token holding every AGS scope, and the requests the suites make. `state()` gives the
 * emulator and token once the beforeAll has run.
 */
export function agsFixture(profile: LmsProfileName) {
  let toolKeys: ToolKeys;
  let lms: LmsEmulator;
  let token: string;
  beforeAll(async () => {
    ({ lms, toolKeys } = await startEmulatorWithTool(profile));
    token = await serviceToken(lms, toolKeys, ALL_AGS);
  });
  afterAll(async () => {
    await lms.stop();
    await toolKeys.close();
  });

  const accessToken = (scope: string) => serviceToken(lms, toolKeys, scope);
  const lineItemsUrl = () => {
    const claims = lms.claimsFor(lms.users.instructor.id, { nonce: 'n' });
    return (claims[AGS_CLAIM] as { lineitems: string }).lineitems;
  };
  const subOf = (userId: string) => lms.claimsFor(userId, { nonce: 'n' }).sub as string;
  const createLineItem = async (fields: Record<string, unknown> = {}, bearer = token) => {
    const response = await request(lms.app)
      .post(pathOf(lineItemsUrl()))
      .set('Authorization', `Bearer ${bearer}`)
      .set('Content-Type', LINE_ITEM)
      .send(JSON.stringify({ label: 'Attendance', scoreMaximum: 10, ...fields }));
    return response;
  };
  const newLineItem = async (fields: Record<string, unknown> = {}) => {
    const response = await createLineItem(fields);
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  let clock = Date.parse('2026-12-01T10:00:00.000Z');
  /** A fresh timestamp, a few seconds after the previous one. */
  const later = () => new Date((clock += 5000)).toISOString();
  const postScore = (lineItemUrl: string, fields: Record<string, unknown>, bearer = token) =>
    request(lms.app)
      .post(childOf(lineItemUrl, 'scores'))
      .set('Authorization', `Bearer ${bearer}`)
      .set('Content-Type', SCORE)
      .send(
        JSON.stringify({
          userId: subOf(lms.users.learner.id),
          scoreGiven: 8,
          scoreMaximum: 10,
          activityProgress: 'Completed',
          gradingProgress: 'FullyGraded',
          timestamp: later(),
          ...fields,
        }),
      );
  const scoresOf = (lineItemUrl: string) =>
    lms
      .gradebook()
      .scores.filter((score) =>
        lms.gradebook().lineItems.some((i) => i.url === lineItemUrl && i.id === score.lineItemId),
      );
  const lineItemCount = () => lms.gradebook().lineItems.length;

  return {
    moodle: profile === 'moodle',
    state: () => ({ lms, token }),
    accessToken,
    lineItemsUrl,
    subOf,
    createLineItem,
    newLineItem,
    later,
    postScore,
    scoresOf,
    lineItemCount,
  };
}

import { createAgsClient, lmsUrlPolicyFor, type AgsClientOptions, type Score } from '../../../src/grades';
import { NRPS_SCOPE } from '../../../src/lti';
import type { LmsProfileName } from '../../../src/sandbox/lms';
import { isAppError, type AppError } from '../../../src/shared/errors';
import { createLtiHarness, TOOL_URL, type LtiHarness } from '../../support/lti-harness';

// ltijs' own token request: counted to prove a token serves several calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ltijsAuth = require('ltijs/dist/Utils/Auth') as {
  getAccessToken: (...args: unknown[]) => Promise<unknown>;
};

const AGS_CLAIM = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
const profiles: LmsProfileName[] = ['moodle', 'canvas'];

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe.each(profiles)('the AGS client against the %s emulator', (profile) => {
  let harness: LtiHarness;
  let lineItemsUrl: string;
  let learner: string;
  let waits: number[];
  let tokenRequests: jest.SpyInstance;

  const client = (options: Partial<AgsClientOptions> = {}) =>
    createAgsClient({
      registration: { issuer: harness.lms.issuer, clientId: harness.lms.clientId },
      serviceToken: (registration, scopes) => harness.built.lti.serviceToken(registration, scopes),
      urls: lmsUrlPolicyFor({ env: 'test', publicUrl: TOOL_URL, registrationAllowedHosts: [] }),
      retry: {
        attempts: 3,
        startingDelayMs: 1,
        maxDelayMs: 5,
        maxRetryAfterMs: 10_000,
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
      ...options,
    });
  const score = (fields: Partial<Score> = {}): Score => ({
    userId: learner,
    scoreGiven: 3,
    scoreMaximum: 4,
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    timestamp: new Date().toISOString(),
    ...fields,
  });
  const column = (name: string) => ({
    label: `Attendance ${name}`,
    scoreMaximum: 100,
    resourceId: `zoom-attendance:${name}`,
    tag: 'zoom-attendance',
  });
  const learnerScores = () => {
    const { scores, students } = harness.lms.gradebook();
    const id = students.find((student) => student.id === harness.lms.users.learner.id)?.id;
    return scores.filter((entry) => entry.userId === id);
  };

  beforeAll(async () => {
    harness = await createLtiHarness({ profile });
    const claims = harness.lms.claimsFor(harness.lms.users.instructor.id, { nonce: 'n' });
    lineItemsUrl = (claims[AGS_CLAIM] as { lineitems: string }).lineitems;
    learner = harness.lms.claimsFor(harness.lms.users.learner.id, { nonce: 'n' }).sub as string;
  });
  afterAll(async () => {
    await harness.close();
  });
  beforeEach(() => {
    waits = [];
    tokenRequests = jest.spyOn(ltijsAuth, 'getAccessToken');
  });
  afterEach(() => {
    harness.lms.failAgsRequests({ status: 503, count: 0 });
    tokenRequests.mockRestore();
  });

  it('makes a column once however often it is found or made, with one token for every call', async () => {
    const grades = client();
    const first = await grades.findOrCreateLineItem(lineItemsUrl, column('course'));
    const again = await grades.findOrCreateLineItem(lineItemsUrl, column('course'));
    // Another client (another job) shares the registration's token.
    const both = await client().findOrCreateLineItem(lineItemsUrl, column('course'));
    expect(first.created).toBe(true);
    expect(again).toEqual({ lineItem: first.lineItem, created: false });
    expect(both.lineItem.id).toBe(first.lineItem.id);
    expect(first.lineItem).toMatchObject({
      label: 'Attendance course',
      scoreMaximum: 100,
      tag: 'zoom-attendance',
    });
    const columns = harness.lms
      .gradebook()
      .lineItems.filter((item) => item.resourceId === 'zoom-attendance:course');
    expect(columns).toHaveLength(1);
    expect(tokenRequests).toHaveBeenCalledTimes(1);
  });

  it('reads every page of a list (the next link in the LMS’s own quotes) and keeps to the filters', async () => {
    const grades = client();
    const made: string[] = [];
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5'])
      made.push(
        (await grades.findOrCreateLineItem(lineItemsUrl, { ...column(name), tag: 'paged' })).lineItem.id,
      );
    const spy = jest.fn(fetch);
    const listed = await client({ fetch: spy }).listLineItems(lineItemsUrl, { tag: 'paged', limit: 2 });
    expect(listed.map((item) => item.id)).toEqual(made);
    expect(spy).toHaveBeenCalledTimes(3);
    const one = await grades.listLineItems(lineItemsUrl, { resourceId: 'zoom-attendance:p3', limit: 2 });
    expect(one.map((item) => item.id)).toEqual([made[2]]);
  });

  it('posts a score that reaches the gradebook, and a repeat changes nothing', async () => {
    const grades = client();
    const { lineItem } = await grades.findOrCreateLineItem(lineItemsUrl, column('scored'));
    const posted = score({ scoreGiven: 3, scoreMaximum: 4, comment: 'Present' });
    await grades.postScore(lineItem.id, posted);
    const item = harness.lms.gradebook().lineItems.find((entry) => entry.url === lineItem.id);
    const kept = learnerScores().filter((entry) => entry.lineItemId === item?.id);
    expect(kept).toEqual([
      expect.objectContaining({
        scoreGiven: 3,
        scoreMaximum: 4,
        grade: 75,
        timestamp: posted.timestamp,
        updates: 1,
      }),
    ]);
    const repeat = grades.postScore(lineItem.id, posted);
    // Moodle refuses an identical repeat as not newer (409); Canvas takes it and changes nothing.
    if (profile === 'moodle') expect((await refusal(repeat)).id).toBe('grades_score_older');
    else await repeat;
    expect(learnerScores().filter((entry) => entry.lineItemId === item?.id)).toEqual(kept);
    const results = await grades.getResults(lineItem.id, { userId: learner });
    expect(results).toEqual([
      expect.objectContaining({ userId: learner, resultScore: profile === 'moodle' ? 75 : 3 }),
    ]);
  });

  it('refuses a score older than the LMS’s, in words, and does not retry it', async () => {
    const grades = client();
    const { lineItem } = await grades.findOrCreateLineItem(lineItemsUrl, column('older'));
    await grades.postScore(lineItem.id, score({ scoreGiven: 4 }));
    const spy = jest.fn(fetch);
    const error = await refusal(
      client({ fetch: spy }).postScore(
        lineItem.id,
        score({ scoreGiven: 1, timestamp: '2020-01-01T00:00:00.000Z' }),
      ),
    );
    expect(error.id).toBe('grades_score_older');
    expect(error.title).toBe('The LMS holds a newer score');
    expect(spy).toHaveBeenCalledTimes(1);
    expect(learnerScores().some((entry) => entry.scoreGiven === 1)).toBe(false);
  });

  it('waits as Retry-After asks on 429, then sends the score', async () => {
    const grades = client();
    const { lineItem } = await grades.findOrCreateLineItem(lineItemsUrl, column('busy'));
    harness.lms.failAgsRequests({ status: 429, count: 2, retryAfterSeconds: 3 });
    await grades.postScore(lineItem.id, score({ scoreGiven: 2 }));
    expect(waits).toEqual([3000, 3000]);
    const item = harness.lms.gradebook().lineItems.find((entry) => entry.url === lineItem.id);
    expect(learnerScores().find((entry) => entry.lineItemId === item?.id)?.scoreGiven).toBe(2);
  });

  it('stops at once when Retry-After asks for longer than it waits', async () => {
    const grades = client();
    const { lineItem } = await grades.findOrCreateLineItem(lineItemsUrl, column('long-wait'));
    harness.lms.failAgsRequests({ status: 429, count: 5, retryAfterSeconds: 3600 });
    const spy = jest.fn(fetch);
    expect((await refusal(client({ fetch: spy }).postScore(lineItem.id, score()))).id).toBe(
      'grades_lms_unavailable',
    );
    expect(spy).toHaveBeenCalledTimes(1);
    expect(waits).toEqual([]);
  });

  it('says the LMS is unavailable when 503 lasts beyond the tries, having tried each', async () => {
    const grades = client();
    const { lineItem } = await grades.findOrCreateLineItem(lineItemsUrl, column('down'));
    harness.lms.failAgsRequests({ status: 503, count: 10 });
    const spy = jest.fn(fetch);
    const error = await refusal(client({ fetch: spy }).postScore(lineItem.id, score()));
    expect(error.id).toBe('grades_lms_unavailable');
    expect(error.nextStep).toMatch(/sends the grades again by itself/);
    expect(spy).toHaveBeenCalledTimes(3);
    const item = harness.lms.gradebook().lineItems.find((entry) => entry.url === lineItem.id);
    expect(learnerScores().filter((entry) => entry.lineItemId === item?.id)).toEqual([]);
  });

  it('never repeats making a column after a 5xx (the LMS may have made it), and finds it next time', async () => {
    let posts = 0;
    const failingPost: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      if (init?.method !== 'POST') return answer;
      posts += 1;
      return new Response('{"error":"bad_gateway"}', { status: 502 });
    };
    const error = await refusal(
      client({ fetch: failingPost }).findOrCreateLineItem(lineItemsUrl, column('ambiguous')),
    );
    expect(error.id).toBe('grades_lms_unavailable');
    expect(posts).toBe(1);
    const found = await client().findOrCreateLineItem(lineItemsUrl, column('ambiguous'));
    expect(found.created).toBe(false);
    expect(
      harness.lms.gradebook().lineItems.filter((item) => item.resourceId === 'zoom-attendance:ambiguous'),
    ).toHaveLength(1);
  });

  it('refuses an answer too large to be a page of an LMS', async () => {
    const huge: typeof fetch = async () =>
      new Response(`[${'"x",'.repeat(300_000)}"x"]`, {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      });
    const error = await refusal(client({ fetch: huge }).listLineItems(lineItemsUrl));
    expect(error.detail).toMatch(/more than 1048576 bytes/);
  });

  it('says a column deleted in the LMS was deleted, for a score and for a change', async () => {
    const grades = client();
    const { lineItem } = await grades.findOrCreateLineItem(lineItemsUrl, column('deleted'));
    harness.lms.deleteLineItem(lineItem.id);
    const error = await refusal(grades.postScore(lineItem.id, score()));
    expect(error.id).toBe('grades_line_item_deleted');
    expect(error.nextStep).toMatch(/Create the column again/);
    expect((await refusal(grades.updateLineItem(lineItem.id, column('deleted')))).id).toBe(
      'grades_line_item_deleted',
    );
  });

  it('changes a column’s label and maximum', async () => {
    const grades = client();
    const { lineItem } = await grades.findOrCreateLineItem(lineItemsUrl, column('renamed'));
    const updated = await grades.updateLineItem(lineItem.id, {
      ...column('renamed'),
      label: 'Attendance (all)',
      scoreMaximum: 10,
    });
    expect(updated).toMatchObject({ id: lineItem.id, label: 'Attendance (all)', scoreMaximum: 10 });
    expect(harness.lms.gradebook().lineItems.find((item) => item.url === lineItem.id)).toMatchObject({
      label: 'Attendance (all)',
      scoreMaximum: 10,
    });
  });

  it('says, with what the LMS admin turns on, when the token holds no grade scope (Names and Roles only)', async () => {
    const nrpsOnly = client({
      serviceToken: (registration) => harness.built.lti.serviceToken(registration, [NRPS_SCOPE]),
    });
    const error = await refusal(nrpsOnly.listLineItems(lineItemsUrl));
    expect(error.id).toBe('grades_scope_not_granted');
    expect(error.status).toBe(403);
    expect(error.nextStep).toContain('“IMS LTI Assignment and Grade Services”');
    expect(error.nextStep).toContain('In Canvas: Admin → Developer Keys');
    const before = harness.lms.gradebook().lineItems.length;
    expect((await refusal(nrpsOnly.findOrCreateLineItem(lineItemsUrl, column('nope')))).id).toBe(
      'grades_scope_not_granted',
    );
    expect(harness.lms.gradebook().lineItems).toHaveLength(before);
  });

  it('asks for a new token once when the LMS no longer takes the kept one', async () => {
    const asked: boolean[] = [];
    const forgotten = client({
      serviceToken: async (registration, scopes, options) => {
        asked.push(options?.renew === true);
        if (!options?.renew)
          return {
            accessToken: 'a-token-the-lms-forgot',
            scopes: [...scopes],
            expiresAt: Date.now() + 60_000,
          };
        return harness.built.lti.serviceToken(registration, scopes, options);
      },
    });
    await forgotten.listLineItems(lineItemsUrl);
    expect(asked).toEqual([false, true]);
    const never = client({
      serviceToken: async (_registration, scopes) => ({
        accessToken: 'never-valid',
        scopes: [...scopes],
        expiresAt: Date.now() + 60_000,
      }),
    });
    expect((await refusal(never.listLineItems(lineItemsUrl))).id).toBe('grades_scope_not_granted');
  });

  it('sends nothing when the launch granted no grade scope, and nothing for a bad score', async () => {
    const spy = jest.fn(fetch);
    const none = client({ scopes: [NRPS_SCOPE], fetch: spy });
    expect((await refusal(none.postScore(`${lineItemsUrl}`, score()))).id).toBe('grades_scope_not_granted');
    const bad = await refusal(
      client({ fetch: spy }).postScore(lineItemsUrl, score({ timestamp: 'yesterday' })),
    );
    expect(bad.id).toBe('bad_request');
    expect(bad.detail).toContain('timestamp');
    expect(spy).not.toHaveBeenCalled();
  });
});

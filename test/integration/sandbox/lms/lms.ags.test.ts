import crypto from 'node:crypto';
import request from 'supertest';
import {
  LMS_ROLES,
  LTI_SCOPES,
  createLmsEmulator,
  type LmsEmulator,
  type LmsProfileName,
} from '../../../../src/sandbox/lms';
import { startToolKeys, type ToolKeys } from './lms.helpers';

const AGS_CLAIM = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const LINE_ITEM = 'application/vnd.ims.lis.v2.lineitem+json';
const CONTAINER = 'application/vnd.ims.lis.v2.lineitemcontainer+json';
const SCORE = 'application/vnd.ims.lis.v1.score+json';
const RESULTS = 'application/vnd.ims.lis.v2.resultcontainer+json';
const ALL_AGS = [LTI_SCOPES.lineItem, LTI_SCOPES.score, LTI_SCOPES.resultReadonly].join(' ');
const profiles: LmsProfileName[] = ['moodle', 'canvas'];

/** Path and query of an absolute URL the LMS gave (supertest talks to the app). */
const pathOf = (url: string) => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};
/** `{lineitem}/scores`: the child goes before the query (Moodle's `?type_id=1`). */
const childOf = (lineItemUrl: string, child: 'scores' | 'results') => {
  const parsed = new URL(lineItemUrl);
  parsed.pathname += `/${child}`;
  return pathOf(parsed.toString());
};
/**
 * Moodle 4.5 writes its Link header's rel values in typographic quotes (rel=“next”, lineitems.php),
 * as UTF-8 bytes: a Node client reads them as latin1. A tool's parser has to take both forms.
 */
const MOODLE_QUOTES = {
  open: Buffer.from('“').toString('latin1'),
  close: Buffer.from('”').toString('latin1'),
};
const nextLink = (link: string | undefined) =>
  new RegExp(`<([^>]+)>;\\s*rel=(?:"|${MOODLE_QUOTES.open})next(?:"|${MOODLE_QUOTES.close})`).exec(
    link ?? '',
  )?.[1];

describe.each(profiles)('%s emulator: Assignment and Grade Services', (profile) => {
  let toolKeys: ToolKeys;
  let lms: LmsEmulator;
  let token: string;
  const moodle = profile === 'moodle';

  const accessToken = async (scope: string) => {
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
  };
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

  beforeAll(async () => {
    toolKeys = await startToolKeys();
    lms = createLmsEmulator({
      profile,
      tool: {
        loginUrl: `${toolKeys.baseUrl}/lti/login`,
        launchUrl: `${toolKeys.baseUrl}/lti/launch`,
        jwksUrl: toolKeys.jwksUrl,
      },
    });
    await lms.start();
    token = await accessToken(ALL_AGS);
  });
  afterAll(async () => {
    await lms.stop();
    await toolKeys.close();
  });

  describe('line items', () => {
    it('serves the container the launch claim names, as a line item container', async () => {
      expect(pathOf(lineItemsUrl())).toBe(
        moodle
          ? `/mod/lti/services.php/${lms.course.id}/lineitems?type_id=1`
          : `/api/lti/courses/${lms.course.id}/line_items`,
      );
      const response = await request(lms.app)
        .get(pathOf(lineItemsUrl()))
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(response.headers['content-type']).toContain(CONTAINER);
      expect(Array.isArray(JSON.parse(response.text))).toBe(true);
    });

    it('refuses a request without a token (401) and a token without a line item scope (403)', async () => {
      const none = await request(lms.app).get(pathOf(lineItemsUrl())).expect(401);
      expect(none.headers['www-authenticate']).toContain('invalid_token');
      const scoreOnly = await accessToken(LTI_SCOPES.score);
      const refused = await request(lms.app)
        .get(pathOf(lineItemsUrl()))
        .set('Authorization', `Bearer ${scoreOnly}`)
        .expect(403);
      expect(refused.body.error).toBe('insufficient_scope');
    });

    it('creates a line item (201) at a URL of its own, which answers it as a line item', async () => {
      const response = await createLineItem({
        label: 'Week 1',
        scoreMaximum: 5,
        resourceId: 'meeting-1',
        tag: 'attendance',
        resourceLinkId: '1',
        startDateTime: '2026-12-01T09:00:00+01:00',
        endDateTime: '2026-12-01T10:00:00+01:00',
      });
      expect(response.status).toBe(201);
      expect(response.headers['content-type']).toContain(LINE_ITEM);
      const id = response.body.id as string;
      expect(pathOf(id)).toMatch(
        moodle
          ? new RegExp(`^/mod/lti/services\\.php/${lms.course.id}/lineitems/\\d+/lineitem\\?type_id=1$`)
          : new RegExp(`^/api/lti/courses/${lms.course.id}/line_items/\\d+$`),
      );
      const read = await request(lms.app).get(pathOf(id)).set('Authorization', `Bearer ${token}`).expect(200);
      expect(read.headers['content-type']).toContain(LINE_ITEM);
      expect(JSON.parse(read.text)).toMatchObject({
        id,
        label: 'Week 1',
        scoreMaximum: 5,
        resourceId: 'meeting-1',
        tag: 'attendance',
        resourceLinkId: '1',
        startDateTime: '2026-12-01T09:00:00+01:00',
      });
      expect(lms.gradebook().lineItems.find((item) => item.url === id)).toMatchObject({ label: 'Week 1' });
    });

    it('lets a read-only token read but not write', async () => {
      const readonly = await accessToken(LTI_SCOPES.lineItemReadonly);
      const id = await newLineItem();
      await request(lms.app)
        .get(pathOf(lineItemsUrl()))
        .set('Authorization', `Bearer ${readonly}`)
        .expect(200);
      await request(lms.app).get(pathOf(id)).set('Authorization', `Bearer ${readonly}`).expect(200);
      const before = lineItemCount();
      const refused = await createLineItem({}, readonly);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe('insufficient_scope');
      await request(lms.app)
        .put(pathOf(id))
        .set('Authorization', `Bearer ${readonly}`)
        .set('Content-Type', LINE_ITEM)
        .send(JSON.stringify({ label: 'Changed', scoreMaximum: 3 }))
        .expect(403);
      await request(lms.app).delete(pathOf(id)).set('Authorization', `Bearer ${readonly}`).expect(403);
      expect(lineItemCount()).toBe(before);
      expect(lms.gradebook().lineItems.find((item) => item.url === id)?.label).toBe('Attendance');
    });

    it.each([
      ['no label', { label: undefined }, /label/],
      ['an empty label', { label: '  ' }, /label/],
      ['no scoreMaximum', { scoreMaximum: undefined }, /scoreMaximum/],
      ['a scoreMaximum of 0', { scoreMaximum: 0 }, /scoreMaximum must be greater than 0/],
      ['a scoreMaximum as text', { scoreMaximum: '10' }, /scoreMaximum/],
      ['a start date without an offset', { startDateTime: '2026-12-01T09:00:00' }, /startDateTime/],
    ])('refuses a line item with %s (400, nothing stored)', async (_name, fields, message) => {
      const before = lineItemCount();
      const response = await createLineItem(fields);
      expect(response.status).toBe(400);
      expect(response.body.error_description).toMatch(message);
      expect(lineItemCount()).toBe(before);
    });

    it('refuses a body that is not JSON, or not sent as a line item', async () => {
      const before = lineItemCount();
      const notJson = await request(lms.app)
        .post(pathOf(lineItemsUrl()))
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', LINE_ITEM)
        .send('{label:');
      expect(notJson.status).toBe(400);
      expect(notJson.body.error_description).toMatch(/not JSON/);
      const wrongType = await request(lms.app)
        .post(pathOf(lineItemsUrl()))
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify({ label: 'A', scoreMaximum: 1 }));
      expect(wrongType.status).toBe(moodle ? 400 : 415);
      expect(wrongType.body.error_description).toContain(LINE_ITEM);
      // Canvas also parses application/json; Moodle takes the media type only.
      const plainJson = await request(lms.app)
        .post(pathOf(lineItemsUrl()))
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ label: 'A', scoreMaximum: 1 }));
      expect(plainJson.status).toBe(moodle ? 400 : 201);
      expect(lineItemCount()).toBe(before + (moodle ? 0 : 1));
    });

    it('pages the container with limit and a Link to the next page, each line item once', async () => {
      const tag = `paged-${profile}`;
      const made = [];
      for (let n = 0; n < 5; n += 1) made.push(await newLineItem({ label: `Meeting ${n}`, tag }));
      const seen: string[] = [];
      let next: string | undefined = `${lineItemsUrl()}${moodle ? '&' : '?'}tag=${tag}&limit=2`;
      let pages = 0;
      while (next) {
        const response = await request(lms.app)
          .get(pathOf(next))
          .set('Authorization', `Bearer ${token}`)
          .expect(200);
        const items = JSON.parse(response.text) as { id: string }[];
        expect(items.length).toBeLessThanOrEqual(2);
        seen.push(...items.map((item) => item.id));
        const link = response.headers.link as string;
        // Moodle writes rel=“next” in typographic quotes (lineitems.php); Canvas rel="next".
        expect(link).toContain(
          moodle ? `rel=${MOODLE_QUOTES.open}first${MOODLE_QUOTES.close}` : 'rel="first"',
        );
        next = nextLink(link);
        if (next) expect(next).toMatch(moodle ? /[?&]from=\d+/ : /[?&]page=\d+/);
        pages += 1;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual(made);
    });

    it('filters by resource_link_id, resource_id and tag', async () => {
      const a = await newLineItem({ resourceLinkId: 'link-a', resourceId: 'res-a', tag: 'tag-a' });
      const b = await newLineItem({ resourceLinkId: 'link-b', resourceId: 'res-b', tag: 'tag-a' });
      const query = async (params: string) => {
        const response = await request(lms.app)
          .get(`${pathOf(lineItemsUrl())}${moodle ? '&' : '?'}${params}`)
          .set('Authorization', `Bearer ${token}`)
          .expect(200);
        return (JSON.parse(response.text) as { id: string }[]).map((item) => item.id);
      };
      expect(await query('resource_link_id=link-a')).toEqual([a]);
      expect(await query('resource_id=res-b')).toEqual([b]);
      expect(await query('tag=tag-a')).toEqual([a, b]);
      expect(await query('tag=none')).toEqual([]);
    });

    it('updates a line item with PUT and deletes it with DELETE (then 404)', async () => {
      const id = await newLineItem({ resourceLinkId: 'kept' });
      const put = await request(lms.app)
        .put(pathOf(id))
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', LINE_ITEM)
        .send(JSON.stringify({ id, label: 'Renamed', scoreMaximum: 20, resourceLinkId: 'other' }))
        .expect(200);
      expect(put.headers['content-type']).toContain(LINE_ITEM);
      expect(JSON.parse(put.text)).toMatchObject({
        id,
        label: 'Renamed',
        scoreMaximum: 20,
        resourceLinkId: 'kept',
      });
      const badPut = await request(lms.app)
        .put(pathOf(id))
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', LINE_ITEM)
        .send(JSON.stringify({ label: 'Broken', scoreMaximum: -1 }));
      expect(badPut.status).toBe(400);
      expect(lms.gradebook().lineItems.find((item) => item.url === id)).toMatchObject({
        label: 'Renamed',
        scoreMaximum: 20,
      });
      await request(lms.app).delete(pathOf(id)).set('Authorization', `Bearer ${token}`).expect(204);
      await request(lms.app).get(pathOf(id)).set('Authorization', `Bearer ${token}`).expect(404);
      expect(lms.gradebook().lineItems.find((item) => item.url === id)).toBeUndefined();
    });

    it('answers 404 for a line item it does not have, and for an unknown course', async () => {
      const id = await newLineItem();
      const unknown = id.replace(/(\d+)(\/lineitem)?(\?type_id=1)?$/, '999999$2$3');
      await request(lms.app).get(pathOf(unknown)).set('Authorization', `Bearer ${token}`).expect(404);
      await request(lms.app)
        .get(childOf(unknown, 'results'))
        .set('Authorization', `Bearer ${token}`)
        .expect(404);
      const score = await postScore(unknown, {});
      expect(score.status).toBe(404);
      const otherCourse = lineItemsUrl().replace(`/${lms.course.id}/`, '/9999/');
      await request(lms.app).get(pathOf(otherCourse)).set('Authorization', `Bearer ${token}`).expect(404);
    });
  });

  describe('scores and results', () => {
    it('takes a score for a student, shows it in the gradebook and answers it as a result', async () => {
      const id = await newLineItem({ label: 'Week 2', scoreMaximum: 10 });
      const response = await postScore(id, { scoreGiven: 8, scoreMaximum: 10, comment: 'On time' });
      expect(response.status).toBe(200);
      if (!moodle) {
        expect(response.headers['content-type']).toContain(SCORE);
        expect(response.body.resultUrl).toContain('/results/');
      }
      expect(scoresOf(id)).toEqual([
        expect.objectContaining({
          userId: lms.users.learner.id,
          scoreGiven: 8,
          grade: 8,
          gradingProgress: 'FullyGraded',
        }),
      ]);
      const results = await request(lms.app)
        .get(childOf(id, 'results'))
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(results.headers['content-type']).toContain(RESULTS);
      expect(JSON.parse(results.text)).toEqual([
        expect.objectContaining({
          scoreOf: id,
          userId: subOf(lms.users.learner.id),
          resultScore: 8,
          resultMaximum: 10,
          comment: 'On time',
        }),
      ]);
    });

    it('scales a score to the column maximum in the gradebook', async () => {
      const id = await newLineItem({ scoreMaximum: 10 });
      await postScore(id, { scoreGiven: 3, scoreMaximum: 4 }).expect(200);
      expect(scoresOf(id)[0]?.grade).toBe(7.5);
    });

    it('keeps no grade while grading is not finished', async () => {
      const id = await newLineItem();
      await postScore(id, { gradingProgress: 'Pending', activityProgress: 'Submitted' }).expect(200);
      expect(scoresOf(id)[0]).toMatchObject({ gradingProgress: 'Pending' });
      expect(scoresOf(id)[0]?.grade).toBeUndefined();
    });

    it('refuses scores without the score scope, and results without result.readonly', async () => {
      const id = await newLineItem();
      const lineItemOnly = await accessToken(LTI_SCOPES.lineItem);
      const refused = await postScore(id, {}, lineItemOnly);
      expect(refused.status).toBe(403);
      expect(refused.body.error_description).toContain(LTI_SCOPES.score);
      await request(lms.app)
        .get(childOf(id, 'results'))
        .set('Authorization', `Bearer ${lineItemOnly}`)
        .expect(403);
      await request(lms.app).post(childOf(id, 'scores')).set('Content-Type', SCORE).send('{}').expect(401);
      expect(scoresOf(id)).toEqual([]);
    });

    it('refuses a score for someone who is not a student of the course', async () => {
      const id = await newLineItem();
      for (const userId of [subOf(lms.users.instructor.id), 'nobody']) {
        const response = await postScore(id, { userId });
        expect(response.status).toBe(moodle ? 400 : 422);
        expect(response.body.error_description).toMatch(
          moodle ? /Incorrect score received/ : /not found in course or is not a student/,
        );
      }
      expect(scoresOf(id)).toEqual([]);
    });

    it.each([
      ['no timestamp', { timestamp: undefined }, /timestamp/, 400],
      ['a timestamp without an offset', { timestamp: '2026-12-01T10:00:00' }, /timestamp/, 400],
      ['no userId', { userId: undefined }, /userId/, 400],
      ['no activityProgress', { activityProgress: undefined }, /activityProgress/, 400],
      ['no gradingProgress', { gradingProgress: undefined }, /gradingProgress/, 400],
      ['an unknown gradingProgress', { gradingProgress: 'Done' }, /gradingProgress/, 'enum'],
      ['a negative scoreGiven', { scoreGiven: -1 }, /scoreGiven/, 400],
    ])('refuses a score with %s, storing nothing', async (_name, fields, message, status) => {
      const id = await newLineItem();
      const response = await postScore(id, fields);
      expect(response.status).toBe(status === 'enum' ? (moodle ? 400 : 422) : status);
      expect(response.body.error_description).toMatch(message);
      expect(scoresOf(id)).toEqual([]);
    });

    it('refuses a score that is not JSON or not sent as a score', async () => {
      const id = await newLineItem();
      const wrongType = await request(lms.app)
        .post(childOf(id, 'scores'))
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', LINE_ITEM)
        .send(JSON.stringify({}));
      expect(wrongType.status).toBe(moodle ? 400 : 415);
      const notJson = await request(lms.app)
        .post(childOf(id, 'scores'))
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', SCORE)
        .send('nope');
      expect(notJson.status).toBe(400);
      expect(scoresOf(id)).toEqual([]);
    });

    it(
      moodle
        ? 'takes scoreGiven without scoreMaximum as out of 1 (Moodle)'
        : 'refuses scoreGiven without scoreMaximum (Canvas 422)',
      async () => {
        const id = await newLineItem({ scoreMaximum: 10 });
        const response = await postScore(id, { scoreGiven: 0.5, scoreMaximum: undefined });
        if (moodle) {
          expect(response.status).toBe(200);
          expect(scoresOf(id)[0]).toMatchObject({ scoreMaximum: 1, grade: 5 });
        } else {
          expect(response.status).toBe(422);
          expect(response.body.error_description).toBe('ScoreMaximum not supplied when ScoreGiven present.');
          expect(scoresOf(id)).toEqual([]);
        }
      },
    );

    it('keeps the newest score: an earlier timestamp is refused and changes nothing', async () => {
      const id = await newLineItem();
      const first = later();
      await postScore(id, { scoreGiven: 6, timestamp: first }).expect(200);
      const earlier = new Date(Date.parse(first) - 60_000).toISOString();
      const refused = await postScore(id, { scoreGiven: 9, timestamp: earlier });
      expect(refused.status).toBe(moodle ? 409 : 400);
      expect(refused.body.error_description).toMatch(
        moodle ? /Refusing score with an earlier timestamp/ : /before last updated timestamp/,
      );
      expect(scoresOf(id)[0]).toMatchObject({ scoreGiven: 6, timestamp: first, updates: 1 });
      await postScore(id, { scoreGiven: 9 }).expect(200);
      expect(scoresOf(id)[0]).toMatchObject({ scoreGiven: 9, updates: 2 });
    });

    it('changes nothing on an identical repeat (Moodle refuses it with 409, Canvas answers 200)', async () => {
      const id = await newLineItem();
      const at = later();
      await postScore(id, { timestamp: at }).expect(200);
      const repeat = await postScore(id, { timestamp: at });
      expect(repeat.status).toBe(moodle ? 409 : 200);
      expect(scoresOf(id)[0]).toMatchObject({ scoreGiven: 8, timestamp: at, updates: 1 });
    });

    it('compares timestamps as the LMS does (Moodle: whole seconds; Canvas: milliseconds)', async () => {
      const id = await newLineItem();
      const at = new Date(Date.parse(later()) + 100).toISOString();
      await postScore(id, { scoreGiven: 5, timestamp: at }).expect(200);
      const sameSecond = new Date(Date.parse(at) + 500).toISOString();
      const response = await postScore(id, { scoreGiven: 7, timestamp: sameSecond });
      expect(response.status).toBe(moodle ? 409 : 200);
      expect(scoresOf(id)[0]?.scoreGiven).toBe(moodle ? 5 : 7);
    });

    it('accepts a timestamp with a non-UTC offset, ordered by the instant it names', async () => {
      const id = await newLineItem();
      await postScore(id, { scoreGiven: 1, timestamp: '2027-01-01T12:00:00.000+02:00' }).expect(200);
      // 10:30 UTC is after 10:00 UTC though its local time reads earlier.
      await postScore(id, { scoreGiven: 2, timestamp: '2027-01-01T11:30:00.000+01:00' }).expect(200);
      const refused = await postScore(id, { scoreGiven: 3, timestamp: '2027-01-01T10:15:00.000Z' });
      expect(refused.status).toBe(moodle ? 409 : 400);
      expect(scoresOf(id)[0]?.scoreGiven).toBe(2);
    });

    if (!moodle) {
      it('takes the Canvas user id as userId too (Canvas)', async () => {
        const id = await newLineItem();
        await postScore(id, { userId: lms.users.learner.id }).expect(200);
        expect(scoresOf(id)[0]?.userId).toBe(lms.users.learner.id);
      });
    }

    it('pages results with limit and filters them by user_id', async () => {
      const extra = [1, 2, 3].map((n) => ({
        id: `${profile === 'moodle' ? 70 : 700}${n}`,
        givenName: `Student${n}`,
        familyName: 'Extra',
        name: `Student${n} Extra`,
        roles: [LMS_ROLES.membershipLearner],
      }));
      for (const user of extra) lms.addUser(user);
      const id = await newLineItem();
      for (const user of [lms.users.learner, ...extra])
        await postScore(id, { userId: subOf(user.id) }).expect(200);
      const seen: string[] = [];
      let next: string | undefined =
        `${id.replace(/\?.*$/, '')}/results${moodle ? '?type_id=1&' : '?'}limit=3`;
      while (next) {
        const response = await request(lms.app)
          .get(pathOf(next))
          .set('Authorization', `Bearer ${token}`)
          .expect(200);
        const page = JSON.parse(response.text) as { userId: string }[];
        expect(page.length).toBeLessThanOrEqual(3);
        seen.push(...page.map((result) => result.userId));
        next = nextLink(response.headers.link as string | undefined);
      }
      expect(seen.sort()).toEqual([lms.users.learner, ...extra].map((user) => subOf(user.id)).sort());
      const one = await request(lms.app)
        .get(
          `${childOf(id, 'results')}${moodle ? '&' : '?'}user_id=${encodeURIComponent(subOf(extra[1]!.id))}`,
        )
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect((JSON.parse(one.text) as { userId: string }[]).map((r) => r.userId)).toEqual([
        subOf(extra[1]!.id),
      ]);
    });
  });

  describe('a student who leaves the course', () => {
    it('keeps their score in the gradebook, refuses a new one, and NRPS no longer lists them', async () => {
      const leaver = {
        id: moodle ? '801' : '8001',
        givenName: 'Lee',
        familyName: 'Leaver',
        name: 'Lee Leaver',
        roles: [LMS_ROLES.membershipLearner],
      };
      lms.addUser(leaver);
      const id = await newLineItem();
      await postScore(id, { userId: subOf(leaver.id), scoreGiven: 4 }).expect(200);
      lms.unenrollUser(leaver.id);
      const refused = await postScore(id, { userId: subOf(leaver.id), scoreGiven: 9 });
      expect(refused.status).toBe(moodle ? 400 : 422);
      expect(scoresOf(id)).toEqual([expect.objectContaining({ userId: leaver.id, scoreGiven: 4 })]);
      expect(lms.gradebook().students.map((student) => student.id)).not.toContain(leaver.id);
      const claims = lms.claimsFor(lms.users.instructor.id, { nonce: 'n' });
      const nrps = claims['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'] as {
        context_memberships_url: string;
      };
      const members = await request(lms.app)
        .get(pathOf(nrps.context_memberships_url))
        .set('Authorization', `Bearer ${await accessToken(LTI_SCOPES.nrps)}`)
        .expect(200);
      const listed = (JSON.parse(members.text) as { members: { user_id: string }[] }).members;
      expect(listed.map((member) => member.user_id)).not.toContain(subOf(leaver.id));
      expect(listed.map((member) => member.user_id)).toContain(subOf(lms.users.learner.id));
      lms.addUser(leaver);
      await postScore(id, { userId: subOf(leaver.id), scoreGiven: 9 }).expect(200);
      expect(() => lms.unenrollUser('no-such-user')).toThrow(/unknown user/);
    });
  });

  describe('faults', () => {
    it('answers 429 with Retry-After, then 503, for the next requests it was told to, then serves again', async () => {
      const id = await newLineItem();
      lms.failAgsRequests({ status: 429, count: 2, retryAfterSeconds: 7 });
      for (let n = 0; n < 2; n += 1) {
        const limited = await postScore(id, {});
        expect(limited.status).toBe(429);
        expect(limited.headers['retry-after']).toBe('7');
      }
      expect(scoresOf(id)).toEqual([]);
      lms.failAgsRequests({ status: 503, count: 1 });
      await request(lms.app).get(pathOf(lineItemsUrl())).set('Authorization', `Bearer ${token}`).expect(503);
      await postScore(id, {}).expect(200);
      expect(scoresOf(id)).toHaveLength(1);
    });

    it('answers 404 once the column is deleted in the LMS, and its scores go with it', async () => {
      const id = await newLineItem();
      await postScore(id, {}).expect(200);
      lms.deleteLineItem(id);
      await request(lms.app).get(pathOf(id)).set('Authorization', `Bearer ${token}`).expect(404);
      await postScore(id, {}).expect(404);
      expect(lms.gradebook().lineItems.some((item) => item.url === id)).toBe(false);
      expect(() => lms.deleteLineItem(id)).toThrow(/no line item/);
    });
  });
});

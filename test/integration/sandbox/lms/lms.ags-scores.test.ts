import request from 'supertest';
import { LMS_ROLES, LTI_SCOPES, type LmsEmulator } from '../../../../src/sandbox/lms';
import {
  agsFixture,
  childOf,
  LINE_ITEM,
  nextLink,
  pathOf,
  PROFILES,
  RESULTS,
  SCORE,
} from './lms.ags.helpers';

describe.each(PROFILES)('%s emulator: Assignment and Grade Services, scores and results', (profile) => {
  const fixture = agsFixture(profile);
  let lms: LmsEmulator;
  let token: string;
  beforeAll(() => {
    ({ lms, token } = fixture.state());
  });
  const { moodle, accessToken, lineItemsUrl, subOf, newLineItem, later, postScore, scoresOf } = fixture;

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

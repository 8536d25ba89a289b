import request from 'supertest';
import { LTI_SCOPES, type LmsEmulator } from '../../../../src/sandbox/lms';
import {
  agsFixture,
  childOf,
  CONTAINER,
  LINE_ITEM,
  MOODLE_QUOTES,
  nextLink,
  pathOf,
  PROFILES,
} from './lms.ags.helpers';

describe.each(PROFILES)('%s emulator: Assignment and Grade Services, line items', (profile) => {
  const fixture = agsFixture(profile);
  let lms: LmsEmulator;
  let token: string;
  beforeAll(() => {
    ({ lms, token } = fixture.state());
  });
  const { moodle, accessToken, lineItemsUrl, createLineItem, newLineItem, postScore, lineItemCount } =
    fixture;

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
});

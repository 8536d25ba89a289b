import { sql } from 'drizzle-orm';
import { queryRows } from '../../../src/storage';
import { createLtiHarness, type LtiHarness } from '../../support/lti-harness';

describe('periodic maintenance', () => {
  let lti: LtiHarness;
  beforeAll(async () => {
    lti = await createLtiHarness({ profile: 'moodle' });
  });
  afterAll(() => lti.close());

  async function count(table: string) {
    const rows = await queryRows<{ count: string | number }>(
      lti.database.db,
      sql.raw(`select count(*) as count from ${table}`),
    );
    return Number(rows[0]?.count);
  }

  it('deletes expired login states, Zoom connection attempts, old webhook deliveries and spent sign-in counts, and keeps live ones', async () => {
    await lti.login(lti.lms.users.learner.id); // a live login state
    await lti.login(lti.lms.users.learner.id);
    await lti.database.db.execute(
      sql`update lti_login_states set expires_at = now() - interval '1 minute' where state = (select state from lti_login_states limit 1)`,
    );
    const [school] = await queryRows<{ id: string }>(lti.database.db, sql`select id from schools limit 1`);
    await lti.database.db.execute(sql`insert into zoom_oauth_states values
      ('old', ${school?.id}, 'u', 'v1.x', 'v1.y', now() - interval '1 minute'),
      ('live', ${school?.id}, 'u', 'v1.x', 'v1.y', now() + interval '5 minutes')`);
    await lti.database.db
      .execute(sql`insert into zoom_webhook_deliveries (delivery_key, event, received_at) values
      ('old', 'meeting.updated', now() - interval '8 days'), ('recent', 'meeting.updated', now())`);

    await lti.database.db.execute(sql`insert into operator_login_limits (key, points, expire) values
      ('operator-login-ip:10.0.0.1', 5, now() - interval '1 second'),
      ('operator-login-ip:10.0.0.2', 3, now() + interval '30 seconds')`);

    await lti.built.purgeExpired();

    expect(await count('lti_login_states')).toBe(1);
    expect(await count('zoom_oauth_states')).toBe(1);
    expect(await count('zoom_webhook_deliveries')).toBe(1);
    expect(await count('operator_login_limits')).toBe(1);
  });
});

import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { runCli } from '../../../src/cli';
import { PrivacyService } from '../../../src/privacy';
import { queryRows } from '../../../src/storage';
import { cliProcess, startToolProcess, type CliRun, type ToolProcess } from '../../support/cli-process';
import { seededDataDir } from '../../support/data-dir';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/db';

/**
 * `school retention <school>` shows and sets a school's retention, by the CLI itself on the
 * embedded database and by a running server over its control socket; `privacy export` runs there
 * too. Launches into a course are recorded at most once an hour per course (`last_launch_at`).
 */
const SCHOOL = 'Retention College';

describe('school retention and privacy export (CLI)', () => {
  let dataDir: string;
  const env = () => ({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000' });
  async function cli(...args: string[]): Promise<CliRun> {
    const run = { out: '', err: '' };
    const code = await runCli(args, {
      env: env(),
      io: { out: (text) => (run.out += text), err: (text) => (run.err += text) },
    });
    return { code, ...run };
  }

  beforeAll(async () => {
    dataDir = await seededDataDir('zoom-lti-retention-');
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('shows a new school keeping everything, sets days, keeps a kind again', async () => {
    expect((await cli('school', 'invite', '--school', SCHOOL, '--json')).code).toBe(0);
    const shown = await cli('school', 'retention', SCHOOL);
    expect(shown).toMatchObject({ code: 0, err: '' });
    expect(shown.out).toBe(
      [
        `Retention of ${SCHOOL}:`,
        '  meetings    kept (no limit)',
        '  attendance  kept (no limit)',
        '  logs        kept (no limit)',
        '  never changed',
        '',
      ].join('\n'),
    );
    const set = await cli(
      'school',
      'retention',
      SCHOOL,
      '--attendance',
      '30',
      '--meetings',
      '365',
      '--by',
      'ops',
    );
    expect(set.code).toBe(0);
    expect(set.out).toContain('  meetings    365 day(s) after the course ends');
    expect(set.out).toContain('  attendance  30 day(s) after the course ends');
    expect(set.out).toContain('  changed by ops at ');
    const kept = await cli('school', 'retention', SCHOOL, '--keep', 'attendance', '--logs', '14', '--json');
    expect(JSON.parse(kept.out)).toMatchObject({
      school: SCHOOL,
      meetingsDays: 365,
      attendanceDays: null,
      logsDays: 14,
    });
  });

  it.each([
    [['--logs', '0'], /at least 1 day/],
    [['--meetings', 'forever'], /a number of days|whole number/],
    [['--keep', 'recordings'], /meetings, attendance or logs/],
    [['--attendance', '3', '--keep', 'attendance'], /both kept and given/],
  ])('refuses %j in words and changes nothing', async (args, message) => {
    const before = await cli('school', 'retention', SCHOOL, '--json');
    const refused = await cli('school', 'retention', SCHOOL, ...args);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(message);
    expect((await cli('school', 'retention', SCHOOL, '--json')).out).toBe(before.out);
  });

  it('refuses an unknown school in words', async () => {
    const refused = await cli('school', 'retention', 'No Such School');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/no school with the id or name “No Such School”/);
  });

  describe('beside a running server (its control socket)', () => {
    let server: ToolProcess;
    beforeAll(async () => {
      server = await startToolProcess({ DATA_DIR: dataDir });
    }, 90_000);
    afterAll(async () => {
      await server?.stop();
    });

    it('the server sets and shows the retention and exports a user', async () => {
      const penv = { DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
      const set = await cliProcess(penv, 'school', 'retention', SCHOOL, '--logs', '7', '--json');
      expect(set).toMatchObject({ code: 0, err: '' });
      expect(JSON.parse(set.out)).toMatchObject({ logsDays: 7, meetingsDays: 365 });
      const exported = await cliProcess(
        penv,
        'privacy',
        'export',
        '--school',
        SCHOOL,
        '--issuer',
        'https://lms.example',
        '--user',
        'nobody',
      );
      expect(exported.code).toBe(0);
      expect(JSON.parse(exported.out)).toMatchObject({ zoomUser: null, coursePeople: [], gradeScores: [] });
    }, 90_000);
  });
});

describe.each(databaseKinds('one'))('launches into a course (%s)', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database.drop());

  it('records a launch at most once an hour per course, and a course made later once it exists', async () => {
    const [school] = await queryRows<{ id: string }>(
      database.db,
      sql`insert into schools (name) values ('Launches') returning id`,
    );
    const course = { schoolId: school!.id, lmsIssuer: 'https://lms.test', contextId: 'c1' };
    let now = Date.parse('2031-01-10T09:00:00Z');
    const privacy = new PrivacyService({
      db: database.db,
      logger: pino({ level: 'silent' }),
      erasureKey: Buffer.alloc(32),
      now: () => now,
    });
    const lastLaunch = async () => {
      const [row] = await queryRows<{ last_launch_at: string | Date | null }>(
        database.db,
        sql`select last_launch_at from courses where context_id = 'c1'`,
      );
      return row?.last_launch_at ? new Date(row.last_launch_at).toISOString() : row ? null : 'no course';
    };
    // Before the course's first staff visit: nothing made; asked again a minute later.
    await privacy.launches.record(course);
    expect(await lastLaunch()).toBe('no course');
    await database.db.execute(
      sql`insert into courses (school_id, lms_issuer, context_id) values (${course.schoolId}, ${course.lmsIssuer}, 'c1')`,
    );
    now += 61_000;
    await privacy.launches.record(course);
    expect(await lastLaunch()).toBe('2031-01-10T09:01:01.000Z');
    // Within the hour: nothing written (the process remembers; another process's statement changes nothing).
    now += 30 * 60_000;
    await privacy.launches.record(course);
    await new PrivacyService({
      db: database.db,
      logger: pino({ level: 'silent' }),
      erasureKey: Buffer.alloc(32),
      now: () => now,
    }).launches.record(course);
    expect(await lastLaunch()).toBe('2031-01-10T09:01:01.000Z');
    now += 31 * 60_000;
    await privacy.launches.record(course);
    expect(await lastLaunch()).toBe('2031-01-10T10:02:01.000Z');
  });
});

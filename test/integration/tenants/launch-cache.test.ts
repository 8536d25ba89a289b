import { sql } from 'drizzle-orm';
import { createLogger } from '../../../src/shared/logger';
import { TenantsService, type PlatformKeyStore } from '../../../src/tenants';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/db';

/**
 * Launches read registrations and schools from memory. A change made through the same service is
 * seen at once; a change made by another process (the CLI, another instance) within the cache time;
 * a registration added elsewhere works at once (a miss is never remembered).
 */
const keyStore: PlatformKeyStore = {
  registerPlatform: async () => undefined,
  removePlatform: async () => undefined,
};
const ISSUER = 'https://moodle.example.edu';
const input = {
  issuer: ISSUER,
  clientId: 'client-1',
  loginUrl: `${ISSUER}/mod/lti/auth.php`,
  tokenUrl: `${ISSUER}/mod/lti/token.php`,
  jwksUrl: `${ISSUER}/mod/lti/certs.php`,
  deployments: ['1'],
  school: 'North High',
};

describe.each(databaseKinds('one'))('registrations as launches read them, on %s', (kind) => {
  let database: TestDatabase;
  const service = (ttlMs = 60_000) =>
    new TenantsService(database.db, keyStore, createLogger({ level: 'silent' }), { launchCacheTtlMs: ttlMs });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database.drop());
  afterEach(async () => {
    await database.db.execute(sql`truncate schools, registrations, deployments cascade`);
  });

  it('a registration removed through the same service stops launching at once', async () => {
    const tenants = service();
    await tenants.addPlatform(input);
    const found = await tenants.findForLaunch(ISSUER, 'client-1');
    expect(found).toMatchObject({ issuer: ISSUER, schoolName: 'North High', jwksUrl: input.jwksUrl });
    expect(await tenants.findForLaunchById(found!.id)).toMatchObject({ id: found!.id });
    expect(await tenants.schoolOf(ISSUER, 'client-1')).toMatchObject({ name: 'North High' });
    await tenants.removePlatform({ issuer: ISSUER, clientId: 'client-1' });
    expect(await tenants.findForLaunch(ISSUER, 'client-1')).toBeUndefined();
    expect(await tenants.findForLaunchById(found!.id)).toBeUndefined();
    expect(await tenants.schoolOf(ISSUER, 'client-1')).toBeUndefined();
  });

  it('a registration added by another process works at once', async () => {
    const launches = service();
    expect(await launches.findForLaunch(ISSUER, 'client-1')).toBeUndefined();
    await service().addPlatform(input);
    expect(await launches.findForLaunch(ISSUER, 'client-1')).toMatchObject({ issuer: ISSUER });
  });

  it('a registration removed by another process stops launching within the cache time', async () => {
    const launches = service(300);
    await service().addPlatform(input);
    expect(await launches.findForLaunch(ISSUER, 'client-1')).toBeDefined();
    await service().removePlatform({ issuer: ISSUER, clientId: 'client-1' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await launches.findForLaunch(ISSUER, 'client-1')).toBeUndefined();
    expect(await launches.schoolOf(ISSUER, 'client-1')).toBeUndefined();
  });

  it('a deployment recorded from a launch is known to the next launch at once', async () => {
    const tenants = service();
    await tenants.addPlatform({ ...input, acceptNewDeployments: true });
    const before = await tenants.findForLaunch(ISSUER, 'client-1');
    expect(before?.deployments).toEqual(['1']);
    await tenants.recordDeployment(before!.id, '2');
    expect((await tenants.findForLaunch(ISSUER, 'client-1'))?.deployments).toEqual(['1', '2']);
  });
});

import crypto from 'node:crypto';
import request from 'supertest';
import { buildApp, type BuiltApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import type { ToolKeyPair } from '../../../src/lti';
import { createLogger } from '../../../src/shared/logger';
import { createTestDatabase, TEST_MASTER_KEY, type TestDatabase } from '../../support/db';

/**
 * The tool's key pair for each registered platform: what ltijs would make (RSA-4096, stored sealed
 * under a fresh kid and published at /lti/keys), but made on the thread pool: ltijs makes it with
 * generateKeyPairSync, holding every other request for a second or two.
 */
describe("the tool's key pair for a newly registered platform", () => {
  let database: TestDatabase;
  let built: BuiltApp | undefined;

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await built?.lti.close();
    built = undefined;
    await database.drop();
  });

  const build = (toolKeyPairs?: () => Promise<ToolKeyPair>) =>
    buildApp({
      config: loadConfig({
        PUBLIC_URL: 'http://localhost:3000',
        DATA_DIR: '/nonexistent',
        LOG_LEVEL: 'silent',
      }),
      database,
      logger: createLogger({ level: 'silent' }),
      masterKey: TEST_MASTER_KEY,
      toolKeyPairs,
    });

  const register = (app: BuiltApp, n: number) =>
    app.tenants.addPlatform({
      issuer: `https://lms${n}.example.edu`,
      clientId: `client-${n}`,
      loginUrl: `https://lms${n}.example.edu/auth`,
      tokenUrl: `https://lms${n}.example.edu/token`,
      jwksUrl: `https://lms${n}.example.edu/jwks`,
      deployments: ['1'],
      school: `School ${n}`,
    });

  const publishedKeys = async (app: BuiltApp) => {
    const answer = await request(app.app).get('/lti/keys');
    expect(answer.status).toBe(200);
    return (answer.body as { keys: (crypto.JsonWebKey & { kid: string })[] }).keys;
  };

  it('is a new RSA-4096 pair, made without generateKeyPairSync, and published under its kid', async () => {
    built = await build();
    const sync = jest.spyOn(crypto, 'generateKeyPairSync');
    // The event loop keeps turning while the pair is made.
    let turns = 0;
    const ticking = setInterval(() => (turns += 1), 10);
    await register(built, 1);
    clearInterval(ticking);

    expect(sync).not.toHaveBeenCalled();
    expect(turns).toBeGreaterThan(5);
    const [published, ...others] = await publishedKeys(built);
    expect(others).toHaveLength(0);
    expect(published?.kid).toMatch(/^[0-9a-f]{32}$/);
    const key = crypto.createPublicKey({ key: published as crypto.JsonWebKey, format: 'jwk' });
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(4096);
  });

  it("takes each platform's pair from the app's source: two platforms, two pairs under two kids", async () => {
    const pairs = [1, 2].map(() =>
      crypto.generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      }),
    );
    let handedOut = 0;
    built = await build(async () => pairs[handedOut++] as ToolKeyPair);
    await register(built, 1);
    await register(built, 2);

    const published = await publishedKeys(built);
    expect(handedOut).toBe(2);
    expect(new Set(published.map((jwk) => jwk.kid)).size).toBe(2);
    const modulus = (pem: string) => crypto.createPublicKey(pem).export({ format: 'jwk' }).n;
    expect(published.map((jwk) => jwk.n).sort()).toEqual(pairs.map((pair) => modulus(pair.publicKey)).sort());
  });
});

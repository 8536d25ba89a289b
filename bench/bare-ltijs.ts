/* eslint-disable no-console */
/**
 * The baseline of the student-launch bench: a bare ltijs 5.9.9 hello-world tool, as its README
 * starts one, on ltijs' Sequelize plugin over SQLite in memory. It knows one platform (given as JSON
 * in BARE_PLATFORM) and answers a launch with "Hello world". Started by bench/bench.processes.ts.
 */
import crypto from 'node:crypto';
import { z } from 'zod';

// ltijs and its Sequelize plugin ship no types: the few calls made here are typed by hand.
interface Reply {
  status(code: number): Reply;
  send(body: string): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Provider: lti } = require('ltijs') as {
  Provider: {
    setup(key: string, database: { plugin: unknown }, options: Record<string, unknown>): void;
    whitelist(...routes: string[]): void;
    onConnect(handler: (token: unknown, req: unknown, res: { send(body: string): void }) => void): void;
    deploy(options: { port: number; silent: boolean }): Promise<unknown>;
    registerPlatform(platform: Record<string, unknown>): Promise<unknown>;
    app: { get(path: string, handler: (req: unknown, res: Reply) => void): void };
  };
};
// ltijs-sequelize and sqlite3 are not the product's dependencies: bench/bench.baseline.ts installs
// them before this process starts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('ltijs-sequelize') as new (
  database: string,
  user: string,
  pass: string,
  options: Record<string, unknown>,
) => unknown;

const env = z
  .object({
    PORT: z.coerce.number().int().min(1).max(65535),
    BARE_PLATFORM: z.string().transform((text, ctx) => {
      const parsed = z
        .object({
          issuer: z.url(),
          clientId: z.string().min(1),
          authUrl: z.url(),
          tokenUrl: z.url(),
          jwksUrl: z.url(),
        })
        .safeParse(JSON.parse(text));
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: parsed.error.message });
        return z.NEVER;
      }
      return parsed.data;
    }),
  })
  .parse(process.env);

async function main(): Promise<void> {
  const db = new Database('bench', '', '', { dialect: 'sqlite', storage: ':memory:', logging: false });
  lti.setup(
    crypto.randomBytes(32).toString('hex'),
    { plugin: db },
    { cookies: { secure: false, sameSite: '' }, devMode: false },
  );
  let registered = false;
  lti.whitelist('/healthz');
  lti.app.get('/healthz', (_req, res) =>
    res.status(registered ? 200 : 503).send(registered ? 'ok' : 'starting'),
  );
  lti.onConnect((_token, _req, res) => res.send('Hello world'));
  await lti.deploy({ port: env.PORT, silent: true });
  await lti.registerPlatform({
    url: env.BARE_PLATFORM.issuer,
    name: 'Bench LMS',
    clientId: env.BARE_PLATFORM.clientId,
    authenticationEndpoint: env.BARE_PLATFORM.authUrl,
    accesstokenEndpoint: env.BARE_PLATFORM.tokenUrl,
    authConfig: { method: 'JWK_SET', key: env.BARE_PLATFORM.jwksUrl },
  });
  registered = true;
  process.once('SIGTERM', () => process.exit(0));
  process.once('SIGINT', () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});

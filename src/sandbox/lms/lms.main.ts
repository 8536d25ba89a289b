/* eslint-disable no-console */
import { Command } from 'commander';
import { z } from 'zod';
import { createLmsEmulator } from './lms.emulator';

/**
 * `npx tsx src/sandbox/lms/lms.main.ts --profile moodle --port 4020 --tool-url http://localhost:3000`
 * starts one emulated LMS and prints how to register it with the tool.
 */
const optionsSchema = z.object({
  profile: z.enum(['moodle', 'canvas']),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  toolUrl: z.url().transform((url) => url.replace(/\/+$/, '')),
  issuer: z.url().optional(),
  clientId: z.string().min(1).optional(),
  deploymentId: z.string().min(1).optional(),
  shareEmail: z.boolean(),
});

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

async function main(): Promise<void> {
  const program = new Command()
    .name('lms-emulator')
    .description('An emulated Moodle 4.x or Canvas LTI 1.3 platform')
    .requiredOption('--profile <profile>', 'moodle or canvas')
    .option('--port <port>', 'port to listen on', '4020')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .requiredOption('--tool-url <url>', 'base URL of the tool, e.g. http://localhost:3000')
    .option('--issuer <url>', 'issuer (default: Moodle its base URL, Canvas https://canvas.instructure.com)')
    .option('--client-id <id>', 'client id (default: random)')
    .option('--deployment-id <id>', 'deployment id')
    .option('--no-share-email', 'withhold email addresses from the tool')
    .parse();
  const parsed = optionsSchema.safeParse(program.opts());
  if (!parsed.success) {
    console.error(
      parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('\n'),
    );
    process.exit(2);
  }
  const options = parsed.data;
  const lms = createLmsEmulator({
    profile: options.profile,
    host: options.host,
    port: options.port,
    issuer: options.issuer,
    clientId: options.clientId,
    deploymentId: options.deploymentId,
    shareEmail: options.shareEmail,
    tool: {
      loginUrl: `${options.toolUrl}/lti/login`,
      launchUrl: `${options.toolUrl}/lti/launch`,
      jwksUrl: `${options.toolUrl}/lti/keys`,
    },
  });
  await lms.start();

  const command = [
    'npm run cli -- platform add',
    `--issuer ${shellQuote(lms.issuer)}`,
    `--client-id ${shellQuote(lms.clientId)}`,
    `--login-url ${shellQuote(lms.authUrl)}`,
    `--token-url ${shellQuote(lms.tokenUrl)}`,
    `--jwks-url ${shellQuote(lms.jwksUrl)}`,
    `--deployment ${shellQuote(lms.deploymentId)}`,
    `--school "Emulated school"`,
  ].join(' ');
  const users = Object.entries(lms.users).map(
    ([label, user]) => `  ${label.padEnd(10)} ${user.name.padEnd(26)} ${lms.coursePageUrl(user.id)}`,
  );
  console.log(
    [
      `Emulated ${options.profile} LMS listening on ${lms.baseUrl}`,
      `  issuer         ${lms.issuer}`,
      `  client id      ${lms.clientId}`,
      `  deployment id  ${lms.deploymentId}`,
      `  auth URL       ${lms.authUrl}`,
      `  token URL      ${lms.tokenUrl}`,
      `  JWKS URL       ${lms.jwksUrl}`,
      '',
      'Register it with the tool:',
      `  ${command}`,
      '',
      `Course pages (${lms.course.title}), one per user:`,
      ...users,
    ].join('\n'),
  );

  const shutdown = () => {
    lms.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

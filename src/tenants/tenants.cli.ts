import { Command, CommanderError } from 'commander';
import type { SchoolInvites } from './tenants.invites';
import type { AddPlatformInput, RegistrationView } from './tenants.schema';
import type { TenantsService } from './tenants.service';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function table(registrations: RegistrationView[]): string {
  if (registrations.length === 0)
    return 'No registrations yet. Add one with `npm run cli -- platform add …`.\n';
  return (
    registrations
      .map((r) =>
        [
          `${r.id}  ${r.school.name}`,
          `  issuer      ${r.issuer}`,
          `  client id   ${r.clientId}`,
          `  deployments ${r.deployments.join(', ')}${r.acceptNewDeployments ? ' (new deployments accepted)' : ''}`,
          `  login       ${r.loginUrl}`,
        ].join('\n'),
      )
      .join('\n\n') + '\n'
  );
}

/**
 * `platform add | list | remove`. The service is opened lazily, only once the arguments parsed, so
 * bad input never touches the database.
 */
export function platformCommands(openTenants: () => Promise<TenantsService>, io: CliIo): Command {
  const platform = new Command('platform')
    .description('LMS registrations (issuer + client id + deployments) of schools')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  platform
    .command('add')
    .description('Register an LMS (Moodle, Canvas…) for a school; prints the registration as JSON')
    .requiredOption(
      '--issuer <url>',
      "the platform's issuer (Moodle: its wwwroot; Canvas: https://canvas.instructure.com)",
    )
    .requiredOption('--client-id <id>', 'the client id the platform gave the tool')
    .requiredOption(
      '--login-url <url>',
      "the platform's OIDC authorization endpoint (Moodle /mod/lti/auth.php, Canvas /api/lti/authorize_redirect)",
    )
    .requiredOption('--token-url <url>', "the platform's OAuth2 token endpoint")
    .requiredOption('--jwks-url <url>', "the platform's public key set (JWKS) URL")
    .requiredOption('--deployment <id>', 'a deployment id (repeat for several)', collect)
    .requiredOption('--school <name>', 'the school this registration belongs to (created when new)')
    .option(
      '--accept-new-deployments',
      'accept launches from deployments not listed yet, recording them',
      false,
    )
    .option(
      '--frame-origin <origin>',
      'an extra origin allowed to frame the tool (repeat for several)',
      collect,
    )
    .option('--name <name>', 'a display name for the platform')
    .option('--time-zone <zone>', "the school's time zone (IANA, e.g. America/New_York; default UTC)")
    .option('--json', 'print JSON (it always does)', false)
    .action(async (options: Record<string, unknown>) => {
      const input: AddPlatformInput = {
        issuer: String(options.issuer),
        clientId: String(options.clientId),
        loginUrl: String(options.loginUrl),
        tokenUrl: String(options.tokenUrl),
        jwksUrl: String(options.jwksUrl),
        deployments: options.deployment as string[],
        school: String(options.school),
        timeZone: options.timeZone === undefined ? undefined : String(options.timeZone),
        acceptNewDeployments: options.acceptNewDeployments === true,
        frameOrigins: (options.frameOrigin as string[] | undefined) ?? [],
        name: options.name === undefined ? undefined : String(options.name),
      };
      const tenants = await openTenants();
      io.out(JSON.stringify(await tenants.addPlatform(input), null, 2) + '\n');
    });

  platform
    .command('list')
    .description('List registrations')
    .option('--json', 'print JSON', false)
    .action(async (options: { json: boolean }) => {
      const registrations = await (await openTenants()).listPlatforms();
      io.out(options.json ? JSON.stringify(registrations, null, 2) + '\n' : table(registrations));
    });

  platform
    .command('remove')
    .description('Remove a registration (by --id, or by --issuer and --client-id); its school stays')
    .option('--id <uuid>', 'the registration id')
    .option('--issuer <url>', 'the issuer')
    .option('--client-id <id>', 'the client id')
    .option('--json', 'print JSON (it always does)', false)
    .action(async (options: { id?: string; issuer?: string; clientId?: string }) => {
      const byId = options.id !== undefined;
      const byPair = options.issuer !== undefined || options.clientId !== undefined;
      if (byId === byPair || (byPair && (options.issuer === undefined || options.clientId === undefined))) {
        throw new CommanderError(2, 'cli.usage', 'Give either --id, or both --issuer and --client-id.');
      }
      const tenants = await openTenants();
      const removed = await tenants.removePlatform(
        byId
          ? { id: String(options.id) }
          : { issuer: String(options.issuer), clientId: String(options.clientId) },
      );
      io.out(JSON.stringify({ removed }, null, 2) + '\n');
    });

  return platform;
}

/**
 * `school invite`: a one-time registration link for a school, which its LMS admin pastes into the
 * LMS's dynamic registration (the registration is then bound to the school and active at once).
 */
export function schoolCommands(openInvites: () => Promise<SchoolInvites>, io: CliIo): Command {
  const school = new Command('school')
    .description('Schools')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  school
    .command('invite')
    .description("A one-time registration link for a school's LMS admin (LTI Dynamic Registration)")
    .requiredOption('--school <name>', 'the school the registration will belong to (created when new)')
    .option('--expires-in <duration>', 'how long the link works: 7d, 12h, 30m (at most 90d)', '7d')
    .option('--time-zone <zone>', "the school's time zone when it is new (IANA, e.g. America/New_York)")
    .option('--json', 'print JSON', false)
    .action(async (options: { school: string; expiresIn: string; timeZone?: string; json: boolean }) => {
      // Loaded here, not at the top: the CLI that hands its command to a server never loads the database code.
      const { parseDuration } = await import('./tenants.invites');
      const expiresInMs = parseDuration(options.expiresIn);
      if (expiresInMs === undefined) {
        throw new CommanderError(
          2,
          'cli.usage',
          `--expires-in must be a number of days, hours or minutes, e.g. 7d, 12h or 30m (got "${options.expiresIn}").`,
        );
      }
      const invite = await (
        await openInvites()
      ).create({
        school: options.school,
        timeZone: options.timeZone,
        expiresInMs,
      });
      if (options.json) {
        io.out(
          JSON.stringify({ registrationUrl: invite.registrationUrl, expiresAt: invite.expiresAt }, null, 2) +
            '\n',
        );
        return;
      }
      io.out(
        [
          `Registration link for ${invite.school} (works once, until ${invite.expiresAt}):`,
          '',
          `  ${invite.registrationUrl}`,
          '',
          "Send it to the school's LMS administrator: Moodle, Site administration › Plugins › Activity modules ›",
          'External tool › Manage tools › "Tool URL" › "Add LTI Advantage"; Canvas, Admin › Developer Keys ›',
          '+ Developer Key › + LTI Registration.',
          '',
        ].join('\n'),
      );
    });
  return school;
}

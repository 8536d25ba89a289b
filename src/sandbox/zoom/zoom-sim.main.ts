/* eslint-disable no-console */
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { fixedClock } from './zoom-sim.clock';
import { createZoomSimulator } from './zoom-sim.simulator';

/**
 * `npm run zoom-sim -- --port 4010 [--host 127.0.0.1] [--base-url http://…] [--start-time ISO]
 * [--control-token T]`: runs the Zoom simulator alone until SIGINT/SIGTERM.
 */
const argsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  baseUrl: z.url().optional(),
  startTime: z.iso.datetime().optional(),
  controlToken: z.string().min(1).optional(),
});

function port(value: string): string {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('Not a port number.');
  return value;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('zoom-sim')
    .description('Zoom API simulator (OAuth, users, meetings, recordings, webhooks, limits, faults)')
    .option('--port <port>', 'port to listen on (0 = any free port)', port, '4010')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--base-url <url>', 'public base URL, when behind a proxy (default http://host:port)')
    .option('--start-time <iso>', 'freeze the base clock at this time (only /_sim/clock/advance moves it)')
    .option('--control-token <token>', 'require this x-sim-token header on /_sim/ requests')
    .parse(argv);
  const args = argsSchema.parse(program.opts());
  const sim = createZoomSimulator({
    port: args.port,
    host: args.host,
    baseUrl: args.baseUrl,
    clock: args.startTime ? fixedClock(args.startTime) : undefined,
    controlToken: args.controlToken,
    webhooks: { retryPollMs: 1000 },
  });
  await sim.start();
  console.log(
    `Zoom simulator listening on ${sim.listeningUrl ?? sim.baseUrl} as ${sim.baseUrl} (API ${sim.baseUrl}/v2, control ${sim.baseUrl}/_sim/)`,
  );
  const shutdown = (signal: string) => {
    console.log(`${signal}: stopping the Zoom simulator`);
    void sim.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

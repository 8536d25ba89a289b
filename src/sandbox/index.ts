/**
 * The sandbox (`npm start` for a newcomer): the Zoom simulator and two emulated LMSs in the tool's
 * process. Loaded only when it runs: `startSandbox` imports the emulator and the simulator then, so
 * a production process (sandbox off) never loads them. The emulator and simulator themselves are
 * reached through `./lms` and `./zoom`.
 */
import type { Config } from '../config';
import type { Logger } from '../shared/logger';
import type { Database } from '../storage';
import type { Sandbox } from './sandbox';

export type { Sandbox, SandboxSchool } from './sandbox';
export { productHomeRoutes } from './sandbox.product.routes';
export { SANDBOX_SCHOOLS, zoomAdminEmail } from './sandbox.config';

export async function startSandbox(options: {
  config: Config;
  database: Database;
  logger: Logger;
}): Promise<Sandbox> {
  const { startSandbox: start } = await import('./sandbox');
  return start(options);
}

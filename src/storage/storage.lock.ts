import lockfile from 'proper-lockfile';
import { errors } from '../shared/errors';

/**
 * PGlite is a single-process database: two processes opening one directory would corrupt it. The
 * process that opens DATA_DIR holds a lock on it (refreshed while it runs, stale after a crash),
 * and any other process is refused with a message that says what to do.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dataDir, {
      lockfilePath: `${dataDir}/.lock`,
      stale: 15_000,
      update: 5_000,
      realpath: false,
      onCompromised: () => {
        // Another process took a lock we considered ours (e.g. after a long pause): keep serving;
        // the next start will sort out ownership.
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw errors.databaseBusy(
        `The embedded database in ${dataDir} is held by another running process (probably the server).`,
      );
    }
    throw error;
  }
}

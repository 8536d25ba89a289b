/* eslint-disable no-console */
/**
 * One OS process that wants the embedded database's lock on DATA_DIR, at START_AT (ms epoch) so
 * that several start together. Prints one JSON line: `{ "won": true }` (then holds the lock until
 * it is killed) or `{ "won": false, "id": …, "detail": … }`.
 */
import { lockDataDir } from '../../src/storage/storage.lock';
import { isAppError } from '../../src/shared/errors';

async function main(): Promise<void> {
  const dataDir = String(process.env.DATA_DIR);
  await new Promise((resolve) =>
    setTimeout(resolve, Math.max(0, Number(process.env.START_AT ?? 0) - Date.now())),
  );
  try {
    await lockDataDir(dataDir, { staleMs: 60 * 60_000 });
  } catch (error) {
    console.log(
      JSON.stringify(
        isAppError(error)
          ? { won: false, id: error.id, detail: error.detail }
          : { won: false, error: String(error) },
      ),
    );
    process.exit(1);
  }
  console.log(JSON.stringify({ won: true }));
  // Hold it: a live holder, until the test kills this process.
  setInterval(() => undefined, 60_000);
}

void main();

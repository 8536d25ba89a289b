import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, restrictModes, runMigrations } from '../../src/storage';
import { schemaHash } from './db';

/**
 * A new DATA_DIR whose embedded database already exists and is migrated, for tests of what runs on
 * it (the CLI, a server's restarts, its shutdown), not of a first start: a fresh DATA_DIR runs
 * PGlite's initdb, 5 s of WASM on this machine and several times that beside the rest of the suite.
 * What a first start does (a new key file, initdb, the migrations) is tested from an empty
 * directory in web/boot.test.ts, storage/storage.test.ts and e2e/sandbox.e2e.test.ts.
 *
 * The directory holds only `pgdata`, copied from a template in the system's temporary directory
 * (built once per schema, named like the in-memory template); the key file is made at first use.
 * The copy is the user's alone (0700 directories, 0600 files), as a server refuses a DATA_DIR open
 * to others: whatever the template's modes (one built before that rule was 0666 and 0777).
 */
export async function seededDataDir(prefix: string): Promise<string> {
  const template = path.join(os.tmpdir(), `zoomlti-test-datadir-${schemaHash()}`);
  if (!fs.existsSync(template)) await buildTemplate(template);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(path.join(template, 'pgdata'), path.join(dataDir, 'pgdata'), { recursive: true });
  restrictModes(dataDir);
  return dataDir;
}

/** Built aside and renamed into place: two workers building it at once both end with a whole one. */
async function buildTemplate(template: string): Promise<void> {
  const building = `${template}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  const database = await openDatabase({ kind: 'pglite', dataDir: building });
  await runMigrations(database);
  await database.close();
  try {
    fs.renameSync(building, template);
  } catch (error) {
    // Another worker's copy landed first (a directory is not replaced by rename): use that one.
    if (!fs.existsSync(template)) throw error;
    fs.rmSync(building, { recursive: true, force: true });
  }
}

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { decodeKey } from '../config';

export const KEY_FILE = 'encryption.key';

/**
 * The master key. From ENCRYPTION_KEY when set (required with DATABASE_URL: instances must share
 * it); otherwise, for the embedded database, generated once into DATA_DIR (mode 0600) and read
 * back on every later start, so data sealed before a restart can be opened after it.
 */
export function resolveMasterKey(config: Pick<Config, 'encryptionKey' | 'dataDir' | 'databaseUrl'>): Buffer {
  if (config.encryptionKey) return config.encryptionKey;
  if (config.databaseUrl) throw new Error('ENCRYPTION_KEY is required when DATABASE_URL is set');
  const file = path.join(config.dataDir, KEY_FILE);
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = decodeKey(fs.readFileSync(file, 'utf8'));
  if (!key)
    throw new Error(
      `${file} does not hold a 32-byte key; restore it from backup (it protects stored secrets)`,
    );
  return key;
}

/** On the embedded database, the key a `keys rotate` is moving away from, kept until it finishes. */
export const PREVIOUS_KEY_FILE = 'encryption.key.previous';
const NEXT_KEY_FILE = 'encryption.key.next';

/**
 * The key being rotated away from, whose sealed values still open meanwhile: ENCRYPTION_KEY_PREVIOUS;
 * or, on the embedded database with its generated key, DATA_DIR/encryption.key.previous while a
 * `keys rotate` is under way (or was interrupted).
 */
export function resolvePreviousMasterKey(
  config: Pick<Config, 'encryptionKey' | 'encryptionKeyPrevious' | 'dataDir' | 'databaseUrl'>,
): Buffer | undefined {
  if (config.encryptionKeyPrevious) return config.encryptionKeyPrevious;
  if (config.encryptionKey || config.databaseUrl) return undefined;
  return readKeyFile(path.join(config.dataDir, PREVIOUS_KEY_FILE));
}

/**
 * Begins, or resumes, the rotation of the embedded database's generated key: the current key is
 * kept as `encryption.key.previous`, then a new key replaces `encryption.key` (written beside it and
 * renamed over it, so the key file is never missing or half written). A run interrupted at any
 * point finds the same two keys again. `finishKeyFileRotation` removes the previous key once every
 * sealed value is under the new one.
 */
export function beginKeyFileRotation(dataDir: string): { current: Buffer; previous: Buffer } {
  const file = path.join(dataDir, KEY_FILE);
  const previousFile = path.join(dataDir, PREVIOUS_KEY_FILE);
  const current = readKeyFile(file);
  if (!current) throw new Error(`${file} does not hold a 32-byte key; restore it from backup first`);
  let previous = readKeyFile(previousFile);
  if (!previous) {
    if (fs.existsSync(previousFile))
      throw new Error(`${previousFile} does not hold a 32-byte key; restore it from backup first`);
    writeKeyFile(previousFile, current);
    previous = current;
  }
  if (!previous.equals(current)) return { current, previous };
  const next = crypto.randomBytes(32);
  const nextFile = path.join(dataDir, NEXT_KEY_FILE);
  writeKeyFile(nextFile, next);
  fs.renameSync(nextFile, file);
  syncDirectory(dataDir);
  return { current: next, previous };
}

/** The rotation is done: the previous key goes (every value sealed under it was re-sealed). */
export function finishKeyFileRotation(dataDir: string): void {
  fs.rmSync(path.join(dataDir, PREVIOUS_KEY_FILE), { force: true });
  syncDirectory(dataDir);
}

function readKeyFile(file: string): Buffer | undefined {
  try {
    return decodeKey(fs.readFileSync(file, 'utf8')) ?? undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Written and flushed before anything depends on it (mode 0600, like the key itself). */
function writeKeyFile(file: string, key: Buffer): void {
  const fd = fs.openSync(file, 'w', 0o600);
  try {
    fs.writeSync(fd, key.toString('hex') + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

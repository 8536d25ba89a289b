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
  fs.mkdirSync(config.dataDir, { recursive: true });
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

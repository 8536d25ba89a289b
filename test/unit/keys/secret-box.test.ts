import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SecretBox } from '../../../src/shared/crypto';
import {
  beginKeyFileRotation,
  finishKeyFileRotation,
  KEY_FILE,
  PREVIOUS_KEY_FILE,
  resolveMasterKey,
  resolvePreviousMasterKey,
} from '../../../src/shared/master-key';

const [oldKey, newKey] = [crypto.randomBytes(32), crypto.randomBytes(32)];

describe('SecretBox during a key rotation', () => {
  it('seals under the new key and opens values sealed under the new or the previous key', () => {
    const sealedOld = new SecretBox(oldKey).seal('zoom-refresh-token', 'aad');
    const box = new SecretBox(newKey, { previousMasterKeys: [oldKey] });
    expect(box.rotating).toBe(true);
    expect(box.open(sealedOld, 'aad')).toBe('zoom-refresh-token');
    expect(box.opensWithCurrentKey(sealedOld, 'aad')).toBe(false);
    const sealedNew = box.seal('zoom-refresh-token', 'aad');
    expect(box.opensWithCurrentKey(sealedNew, 'aad')).toBe(true);
    expect(new SecretBox(newKey).open(sealedNew, 'aad')).toBe('zoom-refresh-token');
  });

  it('still refuses a value under an unknown key, or with other associated data', () => {
    const box = new SecretBox(newKey, { previousMasterKeys: [oldKey] });
    const stranger = new SecretBox(crypto.randomBytes(32)).seal('x', 'aad');
    expect(() => box.open(stranger, 'aad')).toThrow();
    expect(() => box.open(new SecretBox(oldKey).seal('x', 'aad'), 'other')).toThrow();
  });

  it('without a previous key, a value sealed under the old key does not open', () => {
    expect(() => new SecretBox(newKey).open(new SecretBox(oldKey).seal('x'))).toThrow();
  });
});

describe("the embedded database's key file rotation", () => {
  let dir: string;
  const config = () => ({ dataDir: dir, encryptionKey: undefined, databaseUrl: undefined });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keys-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps the old key as the previous one, writes a new one, and removes the previous when finished', () => {
    const original = resolveMasterKey(config());
    expect(resolvePreviousMasterKey(config())).toBeUndefined();
    const { current, previous } = beginKeyFileRotation(dir);
    expect(previous.equals(original)).toBe(true);
    expect(current.equals(original)).toBe(false);
    expect(resolveMasterKey(config()).equals(current)).toBe(true);
    // A server started now opens values under either key.
    expect(resolvePreviousMasterKey(config())?.equals(original)).toBe(true);
    expect(fs.statSync(path.join(dir, PREVIOUS_KEY_FILE)).mode & 0o777).toBe(0o600);
    finishKeyFileRotation(dir);
    expect(resolvePreviousMasterKey(config())).toBeUndefined();
    expect(resolveMasterKey(config()).equals(current)).toBe(true);
  });

  it('when run again after an interruption, it finds the same two keys (no third key, nothing lost)', () => {
    const original = resolveMasterKey(config());
    const first = beginKeyFileRotation(dir);
    const again = beginKeyFileRotation(dir);
    expect(again.current.equals(first.current)).toBe(true);
    expect(again.previous.equals(original)).toBe(true);
  });

  it('when interrupted after keeping the previous key but before the new one, it goes on from there', () => {
    const original = resolveMasterKey(config());
    fs.copyFileSync(path.join(dir, KEY_FILE), path.join(dir, PREVIOUS_KEY_FILE));
    const { current, previous } = beginKeyFileRotation(dir);
    expect(previous.equals(original)).toBe(true);
    expect(current.equals(original)).toBe(false);
  });

  it('refuses a damaged previous key file instead of replacing it', () => {
    resolveMasterKey(config());
    fs.writeFileSync(path.join(dir, PREVIOUS_KEY_FILE), 'garbage\n');
    expect(() => beginKeyFileRotation(dir)).toThrow(/restore it from backup/);
  });

  it('with ENCRYPTION_KEY_PREVIOUS, that key is the previous one (PostgreSQL)', () => {
    expect(
      resolvePreviousMasterKey({
        dataDir: dir,
        encryptionKey: newKey,
        encryptionKeyPrevious: oldKey,
        databaseUrl: 'postgres://x',
      })?.equals(oldKey),
    ).toBe(true);
  });
});

import crypto from 'node:crypto';
import fs from 'node:fs';

/**
 * Writes `file` aside, then renames it into place: a jest worker reading a cache file another is
 * writing never reads half of it (two workers writing the same file both end with a whole one).
 */
export function writeFileAtomically(file: string, data: string | Buffer): void {
  const partial = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  fs.writeFileSync(partial, data);
  fs.renameSync(partial, file);
}

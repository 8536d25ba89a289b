import fs from 'node:fs';
import path from 'node:path';

/**
 * DATA_DIR holds the embedded database (registrations, sealed Zoom tokens, the operator's password
 * hash, all in its write-ahead log too), the generated encryption key and the control socket: no
 * other local account may read or change any of it.
 *
 * - Everything this process writes is created under a 0077 umask, kept for the life of the process
 *   (PGlite writes files as long as it runs), and DATA_DIR itself is made 0700.
 * - PGlite (PostgreSQL in WASM) sets its files' modes itself, through Node's fs, past the umask:
 *   its initdb's files come 0666 and its relation cache files 0644. So the database folder's modes
 *   lose group's and others' bits after PGlite opens it and after it closes (`restrictModes`).
 * - An existing DATA_DIR open to group or others (the directory, an entry at its top level, or one
 *   at the top of the database folder) is refused before anything is written to it:
 *   `DataDirOpenError` names what is open, its mode and the `chmod` that fixes it; the server exits
 *   78 on it, as on a bad setting.
 */

/** The embedded database's folder inside DATA_DIR. */
export const DATABASE_FOLDER = 'pgdata';
/** What may not be set on anything in DATA_DIR: group's and others' read, write and search. */
const OPEN_TO_OTHERS = 0o077;

export class DataDirOpenError extends Error {
  readonly fix: string;

  constructor(
    readonly dataDir: string,
    readonly found: string,
    readonly mode: number,
  ) {
    const fix = `chmod -R go-rwx ${shellQuoted(dataDir)}`;
    super(
      `DATA_DIR ${dataDir} is open to other users: ${found === dataDir ? 'the directory' : found} has mode ${octal(mode)}, so any local account could read or change the database and its key. Make it yours alone, then start again: ${fix}`,
    );
    this.name = 'DataDirOpenError';
    this.fix = fix;
  }
}

/**
 * Before anything is written to DATA_DIR: the 0077 umask, the directory (0700 when new), and the
 * refusal of one open to others (`DataDirOpenError`).
 */
export function secureDataDir(dataDir: string): void {
  process.umask(OPEN_TO_OTHERS);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const database = path.join(dataDir, DATABASE_FOLDER);
  for (const entry of [dataDir, ...entriesOf(dataDir), ...entriesOf(database)]) {
    const mode = modeOf(entry);
    if (mode !== undefined && (mode & OPEN_TO_OTHERS) !== 0) throw new DataDirOpenError(dataDir, entry, mode);
  }
}

/** Takes group's and others' bits off everything under `root` (PGlite's own modes: see above). */
export function restrictModes(root: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (stat.isSymbolicLink()) return;
  if ((stat.mode & OPEN_TO_OTHERS) !== 0) fs.chmodSync(root, stat.mode & 0o700);
  if (stat.isDirectory()) for (const entry of fs.readdirSync(root)) restrictModes(path.join(root, entry));
}

function entriesOf(dir: string): string[] {
  try {
    return fs.readdirSync(dir).map((entry) => path.join(dir, entry));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The mode of what `file` is (a symbolic link's target); undefined when it is gone or dangling. */
function modeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}

/** As a shell reads it: plain paths as they are, any other in single quotes. */
function shellQuoted(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

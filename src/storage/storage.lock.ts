import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { errors } from '../shared/errors';
import { currentOwner, judgeOwner, parseOwner } from './storage.lock.owner';

/**
 * PGlite is a single-process database: two processes opening one directory would corrupt it. The
 * process that opens DATA_DIR holds `DATA_DIR/.lock`, a file naming it (host, boot, pid and the
 * pid's start time: see storage.lock.owner.ts), created with O_EXCL and refreshed while it runs.
 *
 * Another process finding the lock asks whether its holder still runs. A live holder gets a clear
 * refusal. A dead one (killed, out of memory, power cut) is taken over at once, so a supervisor can
 * restart the server immediately. Taking over is the racy part (two restarting processes must not
 * both win), so it happens under a guard file created with O_EXCL and named after the dead lock's
 * content: only one process can create it, and only its creator may remove that dead lock. A guard
 * whose own creator died is passed by creating the guard named after that guard's content, and so
 * on: every name is created once, so exactly one process wins at each step. No file is ever removed
 * on a judgement that could have gone stale, since a dead holder's lock never changes again.
 */

const STALE_MS = 15_000;
const NAMESPACE_STALE_MS = 4_000;
const REFRESH_MS = 1_000;
/** A lock file younger than this that does not parse is being written: wait for it. */
const SETTLING_MS = 2_000;
/** How long to wait out locks being written, taken over or about to go stale before refusing. */
const WAIT_MS = 6_000;

export interface LockOptions {
  /** A holder on another host (or, without /proc, a pid) is dead after this long without refresh. */
  staleMs?: number;
  /** A holder in another pid namespace of this kernel (another container) is dead after this long. */
  namespaceStaleMs?: number;
  refreshMs?: number;
}

interface Entry {
  text: string;
  ageMs: number;
  directory: boolean;
}

type Judgement = 'live' | 'settling' | 'dead';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isCode(error: unknown, ...codes: string[]): boolean {
  return codes.includes(String((error as NodeJS.ErrnoException).code));
}

/** Creates `file` holding `text` unless it exists; false when it does. */
function createExclusive(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (error) {
    if (isCode(error, 'EEXIST')) return false;
    throw error;
  }
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function readEntry(file: string): Entry | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null;
    throw error;
  }
  try {
    const stat = fs.fstatSync(fd);
    const ageMs = Date.now() - stat.mtimeMs;
    // A directory is the lock of earlier versions (proper-lockfile): it names nobody.
    if (stat.isDirectory()) return { text: `directory@${stat.mtimeMs}`, ageMs, directory: true };
    return { text: fs.readFileSync(fd, 'utf8'), ageMs, directory: false };
  } finally {
    fs.closeSync(fd);
  }
}

type Staleness = Required<Pick<LockOptions, 'staleMs' | 'namespaceStaleMs'>>;

function judge(entry: Entry, stale: Staleness): { judgement: Judgement; why: string } {
  if (entry.directory) {
    return entry.ageMs > stale.staleMs
      ? { judgement: 'dead', why: 'an earlier version left its lock' }
      : { judgement: 'live', why: 'held by an earlier version of the tool' };
  }
  const owner = parseOwner(entry.text);
  if (!owner && entry.ageMs < SETTLING_MS) return { judgement: 'settling', why: 'a lock is being written' };
  const verdict = judgeOwner(owner, { ageMs: entry.ageMs, ...stale });
  if (!verdict.live) return { judgement: 'dead', why: verdict.why };
  // A holder nobody can ask, about to go stale (a container just restarted): see whether it does.
  const soon = verdict.staleInMs !== undefined && verdict.staleInMs < WAIT_MS;
  return { judgement: soon ? 'settling' : 'live', why: verdict.why };
}

function guardFor(lockPath: string, entry: Entry): string {
  return `${lockPath}.takeover-${crypto.createHash('sha256').update(entry.text).digest('hex').slice(0, 20)}`;
}

function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (error) {
    if (!isCode(error, 'ENOENT')) throw error;
  }
}

/**
 * Replaces the dead lock `dead` with ours, if this process wins the right to: 'taken', or
 * 'changed' (the lock is no longer that one: look again), or 'busy' (another process is taking it
 * over right now).
 */
function takeOver(
  lockPath: string,
  dead: Entry,
  mine: string,
  stale: Staleness,
): 'taken' | 'changed' | 'busy' {
  const passed: string[] = [];
  let guard = guardFor(lockPath, dead);
  while (!createExclusive(guard, mine)) {
    const holder = readEntry(guard);
    if (!holder) continue; // its creator just finished: ours now, and the lock has changed
    if (judge(holder, stale).judgement !== 'dead') return 'busy';
    passed.push(guard);
    guard = guardFor(guard, holder);
  }
  try {
    const current = readEntry(lockPath);
    if (!current || current.text !== dead.text) return 'changed';
    if (current.directory) fs.rmSync(lockPath, { recursive: true, force: true });
    else fs.unlinkSync(lockPath);
    return createExclusive(lockPath, mine) ? 'taken' : 'changed';
  } finally {
    removeQuietly(guard);
    for (const file of passed) removeQuietly(file);
  }
}

/** Holds DATA_DIR for this process; resolves to the function that lets it go. */
export async function lockDataDir(dataDir: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  const stale = {
    staleMs: options.staleMs ?? STALE_MS,
    namespaceStaleMs: options.namespaceStaleMs ?? NAMESPACE_STALE_MS,
  };
  const lockPath = path.join(dataDir, '.lock');
  const mine = JSON.stringify(currentOwner(crypto.randomBytes(16).toString('hex')));
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (createExclusive(lockPath, mine)) break;
    const held = readEntry(lockPath);
    if (!held) continue;
    const { judgement, why } = judge(held, stale);
    if (judgement === 'dead') {
      const outcome = takeOver(lockPath, held, mine, stale);
      if (outcome === 'taken') break;
      if (outcome === 'changed') continue;
    }
    // Live, or being written, taken over or watched for longer than we wait: refused.
    if (judgement === 'live' || Date.now() > deadline) {
      throw errors.databaseBusy(
        `The embedded database in ${dataDir} is held by another running process (probably the server; ${why}).`,
      );
    }
    await sleep(25);
  }

  const ours = () => readEntry(lockPath)?.text === mine;
  // Refreshed so that a holder nobody can ask (another host or container) is seen alive, or dead.
  const refresh = setInterval(() => {
    try {
      if (!ours()) return clearInterval(refresh);
      const now = new Date();
      fs.utimesSync(lockPath, now, now);
    } catch {
      // The directory went away or is unreadable for a moment: try again at the next tick.
    }
  }, options.refreshMs ?? REFRESH_MS);
  refresh.unref();

  let released = false;
  return async () => {
    if (released) return;
    released = true;
    clearInterval(refresh);
    if (ours()) removeQuietly(lockPath);
  };
}

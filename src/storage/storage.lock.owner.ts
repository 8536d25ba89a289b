import fs from 'node:fs';
import os from 'node:os';

/**
 * Who holds the embedded database's lock, and whether that holder is still running.
 *
 * A lock names its holder by host, boot, pid and the pid's start time (Linux: field 22 of
 * /proc/<pid>/stat, in clock ticks since boot). A pid alone is not enough: after a crash the same
 * pid is often given to another process (in a container the server is pid 1 every time), so a
 * running pid only proves the holder alive when its start time (and the boot) still match.
 * Without /proc (macOS) the pid is checked alone, and the lock's refresh time decides for a pid
 * that now belongs to someone else. A holder that cannot be asked is live while it keeps refreshing
 * the lock: on another host (a shared volume), or on this kernel in another pid namespace (another
 * container: a restarted container gets a new one), where its lock is dead soon after it stops.
 */
export interface LockOwner {
  hostname: string;
  pid: number;
  /** Clock ticks after boot at which the pid started; null where /proc is absent. */
  startTime: number | null;
  /** /proc/sys/kernel/random/boot_id; null where absent. */
  bootId: string | null;
  /** The pid namespace (`pid:[4026531836]`): pids are only comparable inside one; null where absent. */
  pidNamespace: string | null;
  /** Random per acquisition: tells this holding from an earlier one by the same process. */
  token: string;
  acquiredAt: string;
}

/** `staleInMs`: the holder cannot be asked; its lock is dead unless refreshed within that time. */
export type Verdict = { live: true; why: string; staleInMs?: number } | { live: false; why: string };

/** Field 22 (starttime) of /proc/<pid>/stat, or null when there is no /proc or no such process. */
export function processStartTime(pid: number, procRoot = '/proc'): number | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Field 2 (the command name, in parentheses) may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const value = Number(fields[22 - 3]);
  return Number.isInteger(value) ? value : null;
}

export function bootId(procRoot = '/proc'): string | null {
  try {
    return fs.readFileSync(`${procRoot}/sys/kernel/random/boot_id`, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

export function pidNamespace(procRoot = '/proc'): string | null {
  try {
    return fs.readlinkSync(`${procRoot}/self/ns/pid`);
  } catch {
    return null;
  }
}

/** ESRCH: no such process. EPERM: it exists but belongs to another user: alive. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function currentOwner(token: string): LockOwner {
  return {
    hostname: os.hostname(),
    pid: process.pid,
    startTime: processStartTime(process.pid),
    bootId: bootId(),
    pidNamespace: pidNamespace(),
    token,
    acquiredAt: new Date().toISOString(),
  };
}

/** The owner written in a lock file, or null when the text is not one (a torn write, another format). */
export function parseOwner(text: string): LockOwner | null {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (
      typeof value.hostname === 'string' &&
      Number.isInteger(value.pid) &&
      (value.pid as number) > 0 &&
      (value.startTime === null || Number.isInteger(value.startTime)) &&
      (value.bootId === null || typeof value.bootId === 'string') &&
      (value.pidNamespace === null || typeof value.pidNamespace === 'string') &&
      typeof value.token === 'string'
    ) {
      return value as LockOwner;
    }
  } catch {
    // not JSON
  }
  return null;
}

export interface JudgeOptions {
  /** Milliseconds since the lock was last refreshed. */
  ageMs: number;
  /** A lock from another host is dead after this long without a refresh. */
  staleMs: number;
  /** A lock from another pid namespace of this kernel is dead after this long without a refresh. */
  namespaceStaleMs: number;
  /** Seams for tests; default to this process. */
  hostname?: string;
  bootId?: string | null;
  pidNamespace?: string | null;
  isAlive?: (pid: number) => boolean;
  startTimeOf?: (pid: number) => number | null;
}

export function judgeOwner(owner: LockOwner | null, options: JudgeOptions): Verdict {
  if (!owner) return { live: false, why: 'the lock file does not name a holder' };
  const boot = options.bootId === undefined ? bootId() : options.bootId;
  const sameKernel = owner.bootId !== null && owner.bootId === boot;
  if (!sameKernel) {
    if (owner.hostname !== (options.hostname ?? os.hostname())) {
      return options.ageMs > options.staleMs
        ? { live: false, why: `the holder on ${owner.hostname} stopped refreshing the lock` }
        : {
            live: true,
            why: `held by pid ${owner.pid} on ${owner.hostname}`,
            staleInMs: options.staleMs - options.ageMs,
          };
    }
    if (owner.bootId && boot) return { live: false, why: 'the holder ran before this machine restarted' };
  }
  const namespace = options.pidNamespace === undefined ? pidNamespace() : options.pidNamespace;
  if (sameKernel && owner.pidNamespace && namespace && owner.pidNamespace !== namespace) {
    return options.ageMs > options.namespaceStaleMs
      ? { live: false, why: 'the holder in another container stopped refreshing the lock' }
      : {
          live: true,
          why: `held by pid ${owner.pid} in another container`,
          staleInMs: options.namespaceStaleMs - options.ageMs,
        };
  }
  if (!(options.isAlive ?? pidAlive)(owner.pid)) {
    return { live: false, why: `pid ${owner.pid} is not running` };
  }
  const startTime = (options.startTimeOf ?? processStartTime)(owner.pid);
  if (owner.startTime !== null && startTime !== null) {
    return owner.startTime === startTime
      ? { live: true, why: `held by running pid ${owner.pid}` }
      : { live: false, why: `pid ${owner.pid} now belongs to another process` };
  }
  // No start time to compare (no /proc): a running pid is the holder unless it stopped refreshing.
  return options.ageMs > options.staleMs
    ? { live: false, why: `pid ${owner.pid} stopped refreshing the lock` }
    : { live: true, why: `held by running pid ${owner.pid}` };
}

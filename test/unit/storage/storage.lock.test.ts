import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lockDataDir, type LockOptions } from '../../../src/storage/storage.lock';
import { currentOwner, parseOwner, type LockOwner } from '../../../src/storage/storage.lock.owner';

/** Staleness far away: every takeover below is decided by asking about the holder, not by waiting. */
const NEVER_STALE = { staleMs: 60 * 60_000 };

/** The pid of a process that has exited (a pid nobody runs, as after kill -9). */
function deadPid(): number {
  const exited = spawnSync(process.execPath, ['-e', '']);
  if (!exited.pid) throw new Error('could not spawn node');
  return exited.pid;
}

describe('the embedded database lock (DATA_DIR/.lock)', () => {
  let dataDir: string;
  let lockPath: string;
  const releases: (() => Promise<void>)[] = [];

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-lti-lock-'));
    lockPath = path.join(dataDir, '.lock');
  });
  afterEach(async () => {
    for (const release of releases.splice(0)) await release();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function lock(options: LockOptions = NEVER_STALE) {
    const release = await lockDataDir(dataDir, options);
    releases.push(release);
    return release;
  }

  function writeLock(fields: Partial<LockOwner>, ageMs = 0): string {
    const text = JSON.stringify({ ...currentOwner('left-behind'), ...fields });
    fs.writeFileSync(lockPath, text);
    const when = new Date(Date.now() - ageMs);
    fs.utimesSync(lockPath, when, when);
    return text;
  }

  /** The guard a restarter creates while it replaces the dead lock `text`. */
  const guardFor = (text: string) =>
    `${lockPath}.takeover-${crypto.createHash('sha256').update(text).digest('hex').slice(0, 20)}`;
  const holder = () => parseOwner(fs.readFileSync(lockPath, 'utf8'));
  const leftovers = () => fs.readdirSync(dataDir).filter((name) => name !== '.lock');

  it('names this process in the lock while it holds it, and removes the lock on release', async () => {
    const release = await lock();
    expect(holder()).toMatchObject({ pid: process.pid, hostname: os.hostname() });
    expect(holder()?.startTime).toEqual(currentOwner('x').startTime);
    await release();
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it('refuses a second opener while the holder runs, naming the directory, and frees it on release', async () => {
    const release = await lock();
    const refused = lockDataDir(dataDir, NEVER_STALE);
    await expect(refused).rejects.toMatchObject({ id: 'database_in_use', status: 409 });
    await expect(refused).rejects.toHaveProperty(
      'detail',
      expect.stringContaining(`The embedded database in ${dataDir} is held by another running process`),
    );
    await release();
    await lock();
    expect(holder()?.pid).toBe(process.pid);
  });

  it('takes over at once the lock of a pid that is not running', async () => {
    writeLock({ pid: deadPid() });
    await lock();
    expect(holder()).toMatchObject({ pid: process.pid });
    expect(holder()?.token).not.toBe('left-behind');
    expect(leftovers()).toEqual([]);
  });

  it('takes over at once a lock whose pid runs but started at another time (the pid was reused)', async () => {
    const own = currentOwner('x');
    // Our own pid is running; the lock says it started at another time: another process had it.
    writeLock({ pid: process.pid, startTime: own.startTime === null ? 1 : own.startTime + 1 });
    if (own.startTime === null) {
      // Without /proc a start time cannot be compared: the pid is taken as the holder.
      await expect(lockDataDir(dataDir, NEVER_STALE)).rejects.toMatchObject({ id: 'database_in_use' });
      return;
    }
    await lock();
    expect(holder()).toMatchObject({ pid: process.pid, startTime: own.startTime });
    expect(holder()?.token).not.toBe('left-behind');
  });

  it('takes over a lock written before the machine restarted, though its pid and start time match ours', async () => {
    writeLock({ bootId: 'a-boot-before-the-power-cut' });
    if (currentOwner('x').bootId === null) {
      // No boot id to compare (no /proc): the running pid is taken as the holder.
      await expect(lockDataDir(dataDir, NEVER_STALE)).rejects.toMatchObject({ id: 'database_in_use' });
      return;
    }
    await lock();
    expect(holder()?.token).not.toBe('left-behind');
  });

  it('refuses a holder on another host while it refreshes the lock, and takes it over once it stopped', async () => {
    const elsewhere = { hostname: 'another-host.example', bootId: 'boot-of-another-host' };
    writeLock({ ...elsewhere, pid: deadPid() }, 1_000);
    await expect(lockDataDir(dataDir, { staleMs: 15_000 })).rejects.toHaveProperty(
      'detail',
      expect.stringContaining('on another-host.example'),
    );
    writeLock({ ...elsewhere, pid: process.pid }, 20_000);
    await lock({ staleMs: 15_000 });
    expect(holder()).toMatchObject({ hostname: os.hostname(), pid: process.pid });
  });

  it('watches the lock of a holder in another container: refused while it refreshes it, taken over once it stops', async () => {
    if (currentOwner('x').pidNamespace === null) return; // no pid namespaces without /proc
    const container = { pidNamespace: 'pid:[another-container]', pid: process.pid };
    writeLock(container);
    const refresher = setInterval(() => fs.utimesSync(lockPath, new Date(), new Date()), 200);
    try {
      await expect(lockDataDir(dataDir, NEVER_STALE)).rejects.toHaveProperty(
        'detail',
        expect.stringContaining('in another container'),
      );
    } finally {
      clearInterval(refresher);
    }
    // Its pid (ours, running) means nothing here: once the lock is not refreshed, it is dead.
    writeLock(container);
    await lock();
    expect(holder()?.token).not.toBe('left-behind');
  }, 30_000);

  it('takes over a lock file that names nobody (torn by a power cut) once it is not being written', async () => {
    fs.writeFileSync(lockPath, '');
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(lockPath, old, old);
    await lock();
    expect(holder()?.pid).toBe(process.pid);
  });

  it('waits for a lock file being written rather than taking it over', async () => {
    fs.writeFileSync(lockPath, '');
    const text = JSON.stringify(currentOwner('the-writer'));
    // The writer finishes 300 ms later: a live holder (this process), so the second opener is refused.
    setTimeout(() => fs.writeFileSync(lockPath, text), 300);
    await expect(lockDataDir(dataDir, NEVER_STALE)).rejects.toMatchObject({ id: 'database_in_use' });
    expect(fs.readFileSync(lockPath, 'utf8')).toBe(text);
  });

  it('refuses the fresh lock directory of an earlier version, and replaces a stale one', async () => {
    fs.mkdirSync(lockPath);
    await expect(lockDataDir(dataDir, { staleMs: 15_000 })).rejects.toHaveProperty(
      'detail',
      expect.stringContaining('earlier version'),
    );
    const old = new Date(Date.now() - 20_000);
    fs.utimesSync(lockPath, old, old);
    await lock({ staleMs: 15_000 });
    expect(holder()?.pid).toBe(process.pid);
  });

  it('passes the guard of a process that died while taking over a dead lock, and leaves no guard behind', async () => {
    const dead = writeLock({ pid: deadPid(), token: 'dead-holder' });
    // A first restarter created the takeover guard and was killed before replacing the lock.
    fs.writeFileSync(guardFor(dead), JSON.stringify({ ...currentOwner('dead-taker'), pid: deadPid() }));
    await lock();
    expect(holder()?.pid).toBe(process.pid);
    expect(leftovers()).toEqual([]);
  });

  it('does not take over while another process holds the takeover guard', async () => {
    const dead = writeLock({ pid: deadPid(), token: 'dead-holder' });
    // A live process (this one) is taking it over; it does not finish within the wait.
    fs.writeFileSync(guardFor(dead), JSON.stringify(currentOwner('live-taker')));
    await expect(lockDataDir(dataDir, NEVER_STALE)).rejects.toMatchObject({ id: 'database_in_use' });
    expect(fs.readFileSync(lockPath, 'utf8')).toBe(dead);
  }, 30_000);

  it('refreshes the lock while it holds it, so that a holder elsewhere can tell it is alive', async () => {
    await lock({ staleMs: 15_000, refreshMs: 50 });
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockPath, old, old);
    const started = Date.now();
    while (Date.now() - fs.statSync(lockPath).mtimeMs > 30_000) {
      if (Date.now() - started > 10_000) throw new Error('the lock was not refreshed within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(Date.now() - fs.statSync(lockPath).mtimeMs).toBeLessThan(30_000);
  });

  it('on release, leaves alone a lock that someone else holds now', async () => {
    const release = await lock();
    const theirs = JSON.stringify(currentOwner('someone-else'));
    fs.writeFileSync(lockPath, theirs);
    await release();
    expect(fs.readFileSync(lockPath, 'utf8')).toBe(theirs);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  currentOwner,
  judgeOwner,
  parseOwner,
  processStartTime,
  type LockOwner,
} from '../../../src/storage/storage.lock.owner';

const owner = (fields: Partial<LockOwner> = {}): LockOwner => ({
  hostname: 'tool-1',
  pid: 4242,
  startTime: 1000,
  bootId: 'boot-a',
  pidNamespace: 'pid:[1]',
  token: 't',
  acquiredAt: new Date().toISOString(),
  ...fields,
});

const here = {
  hostname: 'tool-1',
  bootId: 'boot-a',
  pidNamespace: 'pid:[1]',
  staleMs: 15_000,
  namespaceStaleMs: 4_000,
};

describe('the start time of a process (/proc/<pid>/stat field 22)', () => {
  let procRoot: string;
  beforeAll(() => {
    procRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-lti-proc-'));
    fs.mkdirSync(path.join(procRoot, '77'));
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    const after = Array.from({ length: 50 }, (_, i) => String(i + 3));
    after[0] = 'S';
    after[22 - 3] = '987654';
    fs.writeFileSync(path.join(procRoot, '77', 'stat'), `77 (node (a) b) ${after.join(' ')}\n`);
  });
  afterAll(() => fs.rmSync(procRoot, { recursive: true, force: true }));

  it('is read after the command name, whatever that name holds', () => {
    expect(processStartTime(77, procRoot)).toBe(987654);
  });

  it('is null for a process that does not exist or where there is no /proc', () => {
    expect(processStartTime(78, procRoot)).toBeNull();
    expect(processStartTime(77, path.join(procRoot, 'absent'))).toBeNull();
  });

  it('is this process’s own and stays the same (null where there is no /proc)', () => {
    const mine = processStartTime(process.pid);
    if (fs.existsSync('/proc/self/stat')) expect(Number.isInteger(mine)).toBe(true);
    else expect(mine).toBeNull();
    expect(processStartTime(process.pid)).toBe(mine);
    expect(currentOwner('x')).toMatchObject({ pid: process.pid, startTime: mine, hostname: os.hostname() });
  });
});

describe('telling a live holder from a dead one', () => {
  it('a running pid with the same start time holds the lock', () => {
    const verdict = judgeOwner(owner(), {
      ...here,
      ageMs: 60 * 60_000, // even unrefreshed for an hour (a long pause): the process is there
      isAlive: () => true,
      startTimeOf: () => 1000,
    });
    expect(verdict).toEqual({ live: true, why: 'held by running pid 4242' });
  });

  it('a pid that is not running is dead at once', () => {
    const verdict = judgeOwner(owner(), { ...here, ageMs: 0, isAlive: () => false, startTimeOf: () => null });
    expect(verdict).toEqual({ live: false, why: 'pid 4242 is not running' });
  });

  it('a running pid that started at another time is someone else (the pid was reused)', () => {
    const verdict = judgeOwner(owner(), { ...here, ageMs: 0, isAlive: () => true, startTimeOf: () => 2000 });
    expect(verdict).toEqual({ live: false, why: 'pid 4242 now belongs to another process' });
  });

  it('a holder from before the machine restarted is dead, whatever runs under its pid now', () => {
    const verdict = judgeOwner(owner(), {
      ...here,
      bootId: 'boot-b',
      ageMs: 0,
      isAlive: () => true,
      startTimeOf: () => 1000,
    });
    expect(verdict.live).toBe(false);
  });

  it('a holder in another container on this machine is live while it refreshes the lock, dead soon after it stops', () => {
    const isAlive = jest.fn(() => false);
    const other = owner({ pidNamespace: 'pid:[2]', hostname: 'container-b' });
    // Its pid 4242 is not ours to ask (another pid namespace), whatever runs under it here.
    expect(judgeOwner(other, { ...here, ageMs: 1_000, isAlive })).toEqual({
      live: true,
      why: 'held by pid 4242 in another container',
      staleInMs: 3_000,
    });
    expect(judgeOwner(other, { ...here, ageMs: 5_000, isAlive })).toEqual({
      live: false,
      why: 'the holder in another container stopped refreshing the lock',
    });
    expect(isAlive).not.toHaveBeenCalled();
  });

  it('a holder in this pid namespace under another host name (a restarted pod) is asked by pid', () => {
    const renamed = owner({ hostname: 'pod-old' });
    expect(judgeOwner(renamed, { ...here, ageMs: 0, isAlive: () => false }).live).toBe(false);
    expect(
      judgeOwner(renamed, { ...here, ageMs: 0, isAlive: () => true, startTimeOf: () => 1000 }).live,
    ).toBe(true);
  });

  it('without /proc, a running pid holds the lock until it stops refreshing it', () => {
    const noProc = {
      ...here,
      bootId: null,
      pidNamespace: null,
      isAlive: () => true,
      startTimeOf: () => null,
    };
    const lock = owner({ startTime: null, bootId: null, pidNamespace: null });
    expect(judgeOwner(lock, { ...noProc, ageMs: 5_000 }).live).toBe(true);
    expect(judgeOwner(lock, { ...noProc, ageMs: 16_000 })).toEqual({
      live: false,
      why: 'pid 4242 stopped refreshing the lock',
    });
    expect(judgeOwner(lock, { ...noProc, isAlive: () => false, ageMs: 0 }).live).toBe(false);
  });

  it('a holder on another host is live while it refreshes the lock, and dead once it stops', () => {
    const isAlive = jest.fn(() => false);
    const remote = owner({ hostname: 'tool-2', bootId: 'boot-of-tool-2' });
    expect(judgeOwner(remote, { ...here, ageMs: 10_000, isAlive })).toEqual({
      live: true,
      why: 'held by pid 4242 on tool-2',
      staleInMs: 5_000,
    });
    expect(judgeOwner(remote, { ...here, ageMs: 20_000, isAlive }).live).toBe(false);
    // Its pid means nothing here.
    expect(isAlive).not.toHaveBeenCalled();
  });

  it('a lock that names nobody is dead', () => {
    expect(judgeOwner(null, { ...here, ageMs: 0 }).live).toBe(false);
  });
});

describe('reading the lock file', () => {
  it('reads what a holder writes', () => {
    const written = currentOwner('abc');
    expect(parseOwner(JSON.stringify(written))).toEqual(written);
  });

  it.each([
    ['an empty file (torn by a power cut)', ''],
    ['not JSON', 'pid 12'],
    ['a pid that is not a positive integer', JSON.stringify(owner({ pid: -1 }))],
    ['no host', JSON.stringify({ ...owner(), hostname: undefined })],
    ['a start time that is not a number', JSON.stringify({ ...owner(), startTime: '1000' })],
    ['a pid namespace that is not text', JSON.stringify({ ...owner(), pidNamespace: 4 })],
  ])('names nobody for %s', (_what, text) => {
    expect(parseOwner(text)).toBeNull();
  });
});

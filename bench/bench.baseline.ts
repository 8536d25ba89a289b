/**
 * The student-launch bench's baseline (bench/bare-ltijs.ts: a bare ltijs tool on ltijs' own SQLite
 * plugin) needs `ltijs-sequelize` and `sqlite3`. They are not dependencies of the product: sqlite3
 * compiles at install (node-gyp, about a minute, python3, make and g++) and ltijs-sequelize brings
 * drivers for four more databases. `npm run bench` installs them here the first time the baseline
 * starts (`npm install --no-save`, so package.json and the lock stay as they are) and finds them in
 * node_modules the next time. A later `npm ci` removes them; the bench then installs them again.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** The versions the baseline was measured with (docs/BENCHMARKS.md). */
export const BASELINE_PACKAGES = { 'ltijs-sequelize': '2.4.4', sqlite3: '6.0.1' } as const;

type PackageName = keyof typeof BASELINE_PACKAGES;

export interface BaselineDeps {
  /** Loads a package (throws when it is missing or, for sqlite3, when its native part did not build). */
  load(name: PackageName): void;
  /** Runs `npm` with these arguments in the repository; true when it succeeded. */
  npm(args: string[]): boolean;
  log(line: string): void;
}

const ROOT = path.resolve(__dirname, '..');

const realDeps: BaselineDeps = {
  load(name) {
    // In a child process: this one remembers a package it did not find (Node caches the missing
    // package.json), so a require here after the install would still fail.
    const run = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(name)})`], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    if (run.status !== 0) throw new Error(`${name} cannot be loaded`);
  },
  npm(args) {
    // npm's own output goes to stderr: stdout carries the bench's table.
    const run = spawnSync('npm', args, { cwd: ROOT, stdio: ['ignore', 2, 2] });
    return run.status === 0;
  },
  log: (line) => console.error(line), // eslint-disable-line no-console
};

/** The baseline's packages that cannot be loaded here. */
export function missingBaselinePackages(deps: Pick<BaselineDeps, 'load'> = realDeps): PackageName[] {
  return (Object.keys(BASELINE_PACKAGES) as PackageName[]).filter((name) => {
    try {
      deps.load(name);
      return false;
    } catch {
      return true;
    }
  });
}

/** Installs the baseline's packages when some are missing; throws, saying what to do, when that fails. */
export function ensureBaseline(deps: BaselineDeps = realDeps): void {
  const missing = missingBaselinePackages(deps);
  if (missing.length === 0) return;
  // Both, always: an `npm install` removes what neither the lock nor its own arguments name.
  const specs = Object.entries(BASELINE_PACKAGES).map(([name, version]) => `${name}@${version}`);
  deps.log(
    `The baseline (a bare ltijs tool on ltijs' SQLite plugin) needs ${missing.join(' and ')}, which the product ` +
      'does not install. Installing them now, once (sqlite3 may compile for about a minute)…',
  );
  // npm 11 runs sqlite3's build (its native part) because package.json's allowScripts names it.
  const installed = deps.npm(['install', '--no-save', '--no-audit', '--no-fund', ...specs]);
  if (!installed || missingBaselinePackages(deps).length > 0) {
    throw new Error(
      `The baseline's packages could not be installed (${specs.join(', ')}); npm's output above says why. sqlite3 compiles when no ` +
        `prebuilt binary fits: install python3, make and g++, then run \`npm install --no-save ${specs.join(' ')}\`.`,
    );
  }
  deps.log('The baseline is installed; the next runs reuse it.');
}

// `npm run bench:baseline`: install it ahead (CI does, before its timed smoke run).
if (require.main === module) ensureBaseline();

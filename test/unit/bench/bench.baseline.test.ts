import fs from 'node:fs';
import path from 'node:path';
import { BASELINE_PACKAGES, ensureBaseline } from '../../../bench/bench.baseline';

/** A fake of node_modules: the packages present, and the npm runs asked for. */
function fakeModules(present: string[], installs = true) {
  const modules = new Set(present);
  const runs: string[][] = [];
  const lines: string[] = [];
  return {
    runs,
    lines,
    deps: {
      load(name: string) {
        if (!modules.has(name)) throw new Error(`Cannot find module '${name}'`);
      },
      npm(args: string[]) {
        runs.push(args);
        if (installs)
          for (const spec of args.filter((arg) => arg.includes('@'))) modules.add(spec.split('@')[0] ?? '');
        return installs;
      },
      log: (line: string) => lines.push(line),
    },
  };
}

describe("the bench's baseline packages", () => {
  it('are not dependencies of the product (npm ci does not compile sqlite3)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    const lock = fs.readFileSync(path.join(__dirname, '../../../package-lock.json'), 'utf8');
    expect(lock).not.toContain('"node_modules/sqlite3"');
    for (const section of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      expect(Object.keys(pkg[section] ?? {})).not.toContain('sqlite3');
      expect(Object.keys(pkg[section] ?? {})).not.toContain('ltijs-sequelize');
    }
  });

  it('when both are installed, nothing is installed again', () => {
    const modules = fakeModules(['ltijs-sequelize', 'sqlite3']);
    ensureBaseline(modules.deps);
    expect(modules.runs).toEqual([]);
    expect(modules.lines).toEqual([]);
  });

  it('when one is missing, the bench installs both (an npm install would drop the other), pinned, without saving, and says so', () => {
    const modules = fakeModules(['ltijs-sequelize']);
    ensureBaseline(modules.deps);
    expect(modules.runs).toEqual([
      [
        'install',
        '--no-save',
        '--no-audit',
        '--no-fund',
        `ltijs-sequelize@${BASELINE_PACKAGES['ltijs-sequelize']}`,
        `sqlite3@${BASELINE_PACKAGES.sqlite3}`,
      ],
    ]);
    expect(modules.lines[0]).toMatch(/needs sqlite3, which.*Installing them now, once/);
    // The next run finds them.
    ensureBaseline(modules.deps);
    expect(modules.runs).toHaveLength(1);
  });

  it('when the install fails, the bench stops with what to do', () => {
    const modules = fakeModules([], false);
    expect(() => ensureBaseline(modules.deps)).toThrow(
      /install python3, make and g\+\+, then run `npm install --no-save ltijs-sequelize@2\.4\.4 sqlite3@6\.0\.1`/,
    );
  });
});

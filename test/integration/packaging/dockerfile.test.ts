import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../../support/process';

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages and their instructions (continuations joined, comments dropped). */
function stagesOf(text: string): Stage[] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [op = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') {
      const [from = '', , name] = args.split(/\s+/);
      stages.push({ name: name ?? String(stages.length), from, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

const dockerfile = stagesOf(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const runtime = dockerfile.at(-1) as Stage;
const all = (stage: Stage, op: string) => stage.instructions.filter((i) => i.op === op).map((i) => i.args);

describe('the Dockerfile', () => {
  it('builds in a stage with every dependency and runs `npm run build` there', () => {
    const build = dockerfile.find((stage) => stage.name === 'build');
    expect(build).toBeDefined();
    const runs = all(build as Stage, 'RUN').join('\n');
    expect(runs).toMatch(/npm ci(?![^\n]*--omit=dev)/);
    expect(runs).toContain('npm run build');
  });

  it('gives the runtime stage production dependencies only, and no source or dev tool', () => {
    expect(dockerfile.length).toBeGreaterThanOrEqual(2);
    const copies = all(runtime, 'COPY');
    const modules = copies.find((args) => /node_modules/.test(args));
    const source = /--from=(\S+)/.exec(modules ?? '')?.[1];
    const from = dockerfile.find((stage) => stage.name === source);
    expect(from).toBeDefined();
    const installs = all(from as Stage, 'RUN').join('\n');
    expect(installs).toMatch(/npm ci [^\n]*--omit=dev|npm prune [^\n]*--omit=dev/);
    const sources = copies.flatMap((args) =>
      args
        .split(/\s+/)
        .filter((arg) => !arg.startsWith('--'))
        .slice(0, -1),
    );
    expect(sources.filter((source) => /^(\.\/)?(src|test|bench)\b/.test(source))).toEqual([]);
    expect(copies.some((args) => /--from=build \/app\/dist/.test(args))).toBe(true);
    expect(copies.some((args) => /^views\b/.test(args))).toBe(true);
  });

  it('runs as a user other than root, in production mode, with /data as a volume', () => {
    const user = all(runtime, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(all(runtime, 'ENV').join(' ')).toMatch(/NODE_ENV=production/);
    expect(all(runtime, 'ENV').join(' ')).toMatch(/DATA_DIR=\/data/);
    expect(all(runtime, 'VOLUME').join(' ')).toMatch(/\/data/);
    // The server refuses a DATA_DIR open to others (a new named volume takes the image's mode).
    expect(all(runtime, 'RUN').join('\n')).toMatch(/chmod 0?700 \/data/);
  });

  it('checks its health on /readyz and starts the compiled server', () => {
    expect(all(runtime, 'HEALTHCHECK').join(' ')).toMatch(/CMD .*\/readyz/);
    expect(all(runtime, 'CMD').at(-1)).toMatch(/dist\/server\.js/);
  });

  it('.dockerignore keeps node_modules, dist and the local data out of the build context', () => {
    const ignored = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split(/\r?\n/);
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data']));
  });
});

describe('config/compose.yaml', () => {
  const compose = parseYaml(fs.readFileSync(path.join(ROOT, 'config', 'compose.yaml'), 'utf8')) as {
    services: Record<string, Record<string, unknown>>;
    volumes: Record<string, unknown>;
  };
  const { postgres, tool, proxy } = compose.services as Record<string, Record<string, unknown> | undefined>;

  it('runs PostgreSQL 16 on a named volume, with a health check', () => {
    expect(postgres?.image).toMatch(/^postgres:16/);
    const volumes = (postgres?.volumes ?? []) as string[];
    const named = volumes.map((volume) => volume.split(':')[0] ?? '');
    expect(named.some((name) => name in compose.volumes)).toBe(true);
    expect(JSON.stringify(postgres?.healthcheck)).toContain('pg_isready');
  });

  it('runs two instances of the tool, started once PostgreSQL is healthy, with the settings they need', () => {
    expect((tool?.deploy as { replicas?: number } | undefined)?.replicas).toBe(2);
    expect(tool?.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
    const environment = tool?.environment as Record<string, string>;
    expect(environment.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
    expect(environment).toHaveProperty('ENCRYPTION_KEY');
    expect(environment).toHaveProperty('PUBLIC_URL');
    expect(environment.TRUST_PROXY).toBe('1');
    expect(String((tool?.build as { dockerfile?: string } | undefined)?.dockerfile)).toBe('Dockerfile');
  });

  it('puts a proxy in front, whose configuration is in config/ and reaches the tool', () => {
    const mounts = (proxy?.volumes ?? []) as string[];
    const conf = mounts.map((mount) => mount.split(':')[0] ?? '').find((file) => file.endsWith('.conf'));
    expect(conf).toBeDefined();
    const text = fs.readFileSync(path.join(ROOT, 'config', String(conf)), 'utf8');
    expect(text).toMatch(/server tool:3000/);
    expect(text).toMatch(/proxy_pass http:\/\/tool/);
    expect(proxy?.depends_on).toMatchObject({ tool: { condition: 'service_healthy' } });
  });
});

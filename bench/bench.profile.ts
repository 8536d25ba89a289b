import fs from 'node:fs';
import path from 'node:path';

/**
 * Summarises the V8 CPU profile (`node --cpu-prof`) of the tool: self time by package (drizzle-orm,
 * pg, ltijs, jsonwebtoken, express, our src/<capability>, node's internals…) and the top functions,
 * counting only the samples taken inside the measured windows (the profile's timestamps and
 * `process.hrtime` are the same monotonic clock), so the boot and the warm-up do not count.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const ROOT = path.resolve(__dirname, '..');

export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [first, second] = file.slice(modules + '/node_modules/'.length).split('/');
    return first?.startsWith('@') ? `${first}/${second}` : (first ?? file);
  }
  const relative = path.relative(ROOT, file);
  if (relative.startsWith('src/')) return relative.split('/').slice(0, 2).join('/');
  return relative.startsWith('..') ? file : relative;
}

export function summariseProfile(dir: string, windows: Array<[bigint, bigint]>, top = 15): string {
  const file = fs.readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) return `Profile: no .cpuprofile was written in ${dir} (did the tool exit cleanly?)`;
  const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const inWindow = (micros: number) =>
    windows.length === 0 ||
    windows.some(([from, to]) => micros >= Number(from / 1000n) && micros <= Number(to / 1000n));

  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    at += profile.timeDeltas[i] ?? 0;
    if (!inWindow(at)) continue;
    const node = byId.get(profile.samples[i] as number);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    const weight = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    const pkg = packageOf(node.callFrame.url, node.callFrame.functionName);
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${pkg}${node.callFrame.url ? `:${path.basename(node.callFrame.url)}:${node.callFrame.lineNumber + 1}` : ''}`;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + weight);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + weight);
    total += weight;
  }
  if (total === 0) return 'Profile: no samples fell inside the measured runs.';
  const table = (entries: Map<string, number>) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => `  ${((100 * micros) / total).toFixed(1).padStart(5)}%  ${name}`);
  return [
    `Profile of the tool on PostgreSQL during the measured student launches (${(total / 1e6).toFixed(1)} s of CPU, idle excluded), self time:`,
    'by package:',
    ...table(byPackage),
    'by function:',
    ...table(byFunction),
  ].join('\n');
}

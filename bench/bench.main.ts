/* eslint-disable no-console */
/**
 * `npm run bench [-- --only <name>[,<name>]] [--smoke] [--markdown] [--profile]`
 *
 * Runs the benchmark suite and prints one table: every figure from this run, as a ratio to a
 * baseline started in this same run or as a count, each beside its target (PASS/MISS). See
 * docs/BENCHMARKS.md for what each figure is and how it is computed.
 *
 *   --only      some benches: student-launch, class-start, provisioning, instructor-page, memory,
 *               attendance
 *   --smoke     small counts, no speed target judged: proves every bench still runs end to end and
 *               that the counts that must be zero (errors, Zoom requests) are zero (CI runs this)
 *   --markdown  print the table as Markdown (for docs/BENCHMARKS.md)
 *   --profile   run the PostgreSQL tool of the student-launch bench under `node --cpu-prof` and print
 *               where its CPU time went
 */
import { parseArgs } from 'node:util';
import { attendanceBench } from './attendance.bench';
import { classStartBench } from './class-start.bench';
import { instructorPageBench } from './instructor-page.bench';
import { memoryBench } from './memory.bench';
import { provisioningBench } from './provisioning.bench';
import { studentLaunchBench } from './student-launch.bench';
import type { Bench, Row } from './bench.types';

const BENCHES: Bench[] = [
  studentLaunchBench,
  classStartBench,
  provisioningBench,
  instructorPageBench,
  memoryBench,
  attendanceBench,
];

export interface BenchArgs {
  only: Bench[];
  smoke: boolean;
  markdown: boolean;
  profile: boolean;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      markdown: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  let only = BENCHES;
  if (values.only !== undefined) {
    const names = values.only
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const unknown = names.filter((name) => !BENCHES.some((bench) => bench.name === name));
    if (names.length === 0 || unknown.length > 0) {
      throw new Error(
        `--only takes benches from: ${BENCHES.map((bench) => bench.name).join(', ')}` +
          (unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''),
      );
    }
    only = BENCHES.filter((bench) => names.includes(bench.name));
  }
  return { only, smoke: values.smoke, markdown: values.markdown, profile: values.profile };
}

function verdict(row: Row, smoke: boolean): string {
  if (row.pass === undefined) return '';
  if (smoke && row.timed) return 'not judged';
  return row.pass ? 'PASS' : 'MISS';
}

export function renderTable(rows: Row[], smoke: boolean, markdown: boolean): string {
  const header = ['bench', 'measure', 'value', 'target', 'result'];
  const cells = rows.map((row) => [row.bench, row.measure, row.value, row.target ?? '', verdict(row, smoke)]);
  if (markdown) {
    const line = (values: string[]) => `| ${values.join(' | ')} |`;
    return [line(header), line(header.map(() => '---')), ...cells.map(line)].join('\n');
  }
  const widths = header.map((title, i) =>
    Math.max(title.length, ...cells.map((cell) => (cell[i] ?? '').length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  const notes: string[] = [];
  const rows: Row[] = [];
  const failures: string[] = [];
  const started = Date.now();
  for (const bench of args.only) {
    const context = {
      smoke: args.smoke,
      profile: args.profile,
      log: (line: string) =>
        console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`),
      note: (text: string) => notes.push(text),
    };
    try {
      rows.push(...(await bench.run(context)));
    } catch (error) {
      failures.push(bench.name);
      rows.push({
        bench: bench.name,
        measure: 'ran to the end',
        value: `no: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        target: 'yes',
        pass: false,
      });
      console.error(error);
    }
  }
  const node = process.version;
  console.log(
    `${args.smoke ? 'Smoke run (small counts; speed targets not judged)' : 'Benchmark'}: ${new Date().toISOString()}, node ${node}, ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  console.log(renderTable(rows, args.smoke, args.markdown));
  for (const note of notes) console.log(`\n${note}`);
  const missed = rows.filter((row) => row.pass === false && !(args.smoke && row.timed));
  if (missed.length > 0) {
    console.log(
      `\n${missed.length} target(s) missed${failures.length ? `; benches that failed: ${failures.join(', ')}` : ''}.`,
    );
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
}

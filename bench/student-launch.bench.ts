import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLmsEmulator, type LmsEmulator } from '../src/sandbox/lms';
import { keepAliveAgent, launch, runLoad, type LoadResult } from './bench.client';
import { summariseProfile } from './bench.profile';
import { cpuMsOf, startBareLtijs, startTool, type ToolProcess } from './bench.processes';
import { percentile, rate, ratio, ms } from './bench.stats';
import { addLearners, type Bench, type BenchContext, type Row } from './bench.types';

/**
 * Student launch: the same emulated Moodle (one issuer, client id and signing key) launches its
 * learners into three tools started side by side — the bare ltijs hello world (the baseline), this
 * tool on PostgreSQL, this tool on PGlite — one tool at a time, at each concurrency in turn.
 *
 * The platform and the load generator run in this process (the emulator must be in-process to hand
 * out login initiations; it also serves its JWKS and auth endpoint over HTTP); every tool runs in
 * its own process and is driven by the same client, so whatever the client costs, it costs every
 * tool alike. The CPU each side used is printed after the table.
 */

interface Measured {
  tool: ToolProcess;
  concurrency: number;
  result: LoadResult;
  launchesPerSecond: number;
  p99: number;
  toolCpu: number;
  clientCpu: number;
}

function pointAt(lms: LmsEmulator, tool: ToolProcess): void {
  lms.setTool({ loginUrl: tool.loginUrl, launchUrl: tool.launchUrl, jwksUrl: tool.jwksUrl });
}

export const studentLaunchBench: Bench = {
  name: 'student-launch',
  async run(context: BenchContext): Promise<Row[]> {
    const launches = context.smoke ? 20 : 300;
    const concurrencies = context.smoke ? [5] : [20, 50];
    const lms = createLmsEmulator({ profile: 'moodle' });
    await lms.start();
    const learners = addLearners(lms, 'bench-learner', launches);
    const profileDir = context.profile ? fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-lti-cpuprof-')) : '';
    const tools: ToolProcess[] = [];
    const windows: Array<[bigint, bigint]> = [];
    try {
      context.log('student-launch: starting the bare ltijs tool and this tool on PostgreSQL and PGlite');
      const started = await Promise.allSettled([
        startBareLtijs(lms),
        startTool({
          database: 'postgres',
          lms,
          nodeArgs: context.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
        }),
        startTool({ database: 'pglite', lms }),
      ]);
      for (const one of started) if (one.status === 'fulfilled') tools.push(one.value);
      const failed = started.find((one) => one.status === 'rejected');
      if (failed) throw failed.reason;
      const [bare, postgres, pglite] = tools as [ToolProcess, ToolProcess, ToolProcess];

      // Warm-up, not measured: every learner launches once into every tool (at a class start the
      // students have launched before), which also warms the JIT.
      for (const tool of tools) {
        pointAt(lms, tool);
        const agent = keepAliveAgent(20);
        const warm = await runLoad(learners.length, (i) => launch(agent, lms, tool, learners[i] as string), {
          concurrency: Math.min(20, concurrencies[0] as number),
        });
        await agent.close();
        if (warm.errors > 0) {
          throw new Error(
            `${tool.name}: ${warm.errors} warm-up launches failed: ${warm.firstErrors.join(' | ')}`,
          );
        }
      }

      const measured: Measured[] = [];
      for (const concurrency of concurrencies) {
        for (const tool of tools) {
          pointAt(lms, tool);
          const agent = keepAliveAgent(concurrency);
          context.log(`student-launch: ${tool.name}, ${launches} launches at c=${concurrency}`);
          const toolCpu = cpuMsOf(tool.pid);
          const clientCpu = process.cpuUsage();
          const from = process.hrtime.bigint();
          const result = await runLoad(
            launches,
            (i) => launch(agent, lms, tool, learners[i % learners.length] as string),
            { concurrency },
          );
          if (tool === postgres) windows.push([from, process.hrtime.bigint()]);
          const client = process.cpuUsage(clientCpu);
          await agent.close();
          measured.push({
            tool,
            concurrency,
            result,
            launchesPerSecond: (result.latencies.length * 1000) / result.wallMs,
            p99: percentile(result.latencies, 99),
            toolCpu: (cpuMsOf(tool.pid) - toolCpu) / result.wallMs,
            clientCpu: (client.user + client.system) / 1000 / result.wallMs,
          });
        }
      }

      if (context.profile) {
        await postgres.stop();
        context.note(summariseProfile(profileDir, windows));
      }
      context.note(
        [
          'Student launch: CPU used during each run (1.00 = one core), tool process / this process (platform + load generator):',
          ...measured.map(
            (m) =>
              `  ${m.tool.name.padEnd(14)} c=${String(m.concurrency).padEnd(3)} tool ${m.toolCpu.toFixed(2)}  bench ${m.clientCpu.toFixed(2)}`,
          ),
        ].join('\n'),
      );
      return rowsFor(measured, bare, postgres, pglite, context.smoke);
    } finally {
      for (const tool of tools) await tool.stop().catch(() => undefined);
      await lms.stop();
      if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
    }
  },
};

function rowsFor(
  measured: Measured[],
  bare: ToolProcess,
  postgres: ToolProcess,
  pglite: ToolProcess,
  smoke: boolean,
): Row[] {
  const rows: Row[] = [];
  const label = {
    [bare.name]: 'bare ltijs 5.9.9 (SQLite)',
    [postgres.name]: 'tool, PostgreSQL',
    [pglite.name]: 'tool, PGlite',
  };
  for (const m of measured) {
    const baseline = measured.find((b) => b.tool === bare && b.concurrency === m.concurrency) as Measured;
    const who = `${label[m.tool.name]}, c=${m.concurrency}`;
    rows.push({
      bench: 'student launch',
      measure: `${who}: errors`,
      value: String(m.result.errors),
      target: '0',
      pass: m.result.errors === 0,
    });
    if (m.tool === bare) {
      rows.push({ bench: 'student launch', measure: `${who}: launches/s`, value: rate(m.launchesPerSecond) });
      rows.push({ bench: 'student launch', measure: `${who}: p99`, value: ms(m.p99) });
      continue;
    }
    const speed = m.launchesPerSecond / baseline.launchesPerSecond;
    const tail = m.p99 / baseline.p99;
    const judged = smoke ? [] : targetsFor(m.tool === postgres ? 'postgres' : 'pglite', m.concurrency);
    rows.push({
      bench: 'student launch',
      measure: `${who}: launches/s (× bare)`,
      value: `${rate(m.launchesPerSecond)} (${ratio(speed)})`,
      ...(judged.includes('speed')
        ? {
            target: m.tool === postgres ? '≥ 1.20× bare' : '≥ 1.00× bare',
            pass: speed >= (m.tool === postgres ? 1.2 : 1.0),
            timed: true,
          }
        : {}),
    });
    rows.push({
      bench: 'student launch',
      measure: `${who}: p99 (× bare)`,
      value: `${ms(m.p99)} (${ratio(tail)})`,
      ...(judged.includes('tail') ? { target: '≤ 0.90× bare', pass: tail <= 0.9, timed: true } : {}),
    });
  }
  return rows;
}

function targetsFor(database: 'postgres' | 'pglite', concurrency: number): Array<'speed' | 'tail'> {
  if (database === 'postgres') return ['speed', 'tail'];
  return concurrency === 20 ? ['speed'] : [];
}

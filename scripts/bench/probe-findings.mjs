#!/usr/bin/env node
// Python probe with findings and library descriptions (issues 15 and 17), side by side with another
// probe file in the same rounds: end to end through Debian's real debugpy, grouped as the view asks
// (what a user waits for at each stop), median of 3 after a warm-up that loads both probes.
//   sleeping   — test/fixtures/python/many_tasks.py N: the orphan check skips timer waits, the heap
//                scan for never-awaited coroutines is what findings add;
//   events     — many_tasks.py N event: each task waits on an Event of its own, the worst case of the
//                orphan check (bounded at 5 000 tasks per snapshot);
//   aiohttp    — test/fixtures/python/frameworks/aiohttp_loaded.py 1700: a loaded server, 3 060 tasks,
//                library frames and endpoints read for every task.
// BENCH_COMPARE_PROBE names the other probe (default: main's, `git show main:python/async_toolkit_probe.py`).
// ASYNC_TOOLKIT_PYTHON chooses the interpreter. Goals: ≤ 300 ms at 10 000 tasks, ≤ 2 s at 100 000.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { median } from './lib/median.mjs';

readCommandLine({
  usage: 'node scripts/bench/probe-findings.mjs (after a build; tuned by BENCH_* variables, no options)',
});

const root = new URL('../..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const { DebugpyClient } = require(join(root, 'out/test/support/debugpyClient.js'));
const source = require(join(root, 'out/src/tasks/sources/python/pythonSource.js'));
const python = process.env.ASYNC_TOOLKIT_PYTHON || '/usr/bin/python3';
const RUNS = 3;
const GROUPED = { maxTasksPerGroup: 100, includeInternals: false, minAgeMs: 0 };
const fixtures = join(root, 'test', 'fixtures', 'python');

function probeFile(path) {
  const text = readFileSync(path, 'utf8');
  return { path, text, moduleName: source.probeModuleName(text) };
}

function compareProbe() {
  if (process.env.BENCH_COMPARE_PROBE) return probeFile(process.env.BENCH_COMPARE_PROBE);
  const path = join(mkdtempSync(join(tmpdir(), 'probe-compare-')), 'async_toolkit_probe.py');
  writeFileSync(path, execFileSync('git', ['show', 'main:python/async_toolkit_probe.py'], { cwd: root }));
  return probeFile(path);
}

async function grouped(client, frameId, probe) {
  const started = performance.now();
  const first = source.unquoteEvaluateResult(
    await client.evaluate(frameId, source.snapshotExpression(probe.moduleName, GROUPED)),
  );
  const text = await source.collectParts(first, async (index) =>
    source.unquoteEvaluateResult(
      await client.evaluate(frameId, source.partExpression(probe.moduleName, index)),
    ),
  );
  return { ms: performance.now() - started, snapshot: source.interpretProbeResult(text) };
}

const probes = [probeFile(join(root, 'python', 'async_toolkit_probe.py')), compareProbe()];
const scenarios = [
  ['10 000 sleeping', join(fixtures, 'many_tasks.py'), ['10000']],
  ['100 000 sleeping', join(fixtures, 'many_tasks.py'), ['100000']],
  ['10 000 waiting on their own Event', join(fixtures, 'many_tasks.py'), ['10000', 'event']],
  ['aiohttp server, 1 700 connections', join(fixtures, 'frameworks', 'aiohttp_loaded.py'), ['1700']],
];

console.log(
  `### Python probe with findings, side by side (median of ${RUNS}, end to end through debugpy, grouped)`,
);
console.log('| program | tasks | this probe | groups | findings | compared probe | groups |');
console.log('|---|---|---|---|---|---|---|');
for (const [label, program, args] of scenarios) {
  const client = DebugpyClient.start(python);
  try {
    const { frameId } = await client.launchUntilStopped(python, program, args);
    for (const probe of probes) {
      await client.evaluate(
        frameId,
        source.installAndSnapshotExpression(probe.moduleName, probe.text, probe.path, GROUPED),
      );
    }
    const times = probes.map(() => []);
    const last = [];
    for (let run = 0; run < RUNS; run++) {
      for (const [index, probe] of probes.entries()) {
        const result = await grouped(client, frameId, probe);
        times[index].push(result.ms);
        last[index] = result.snapshot;
      }
    }
    const total = last[0].truncated?.totalTasks ?? last[0].tasks.length;
    console.log(
      `| ${label} | ${total.toLocaleString('en')} | ${median(times[0]).toFixed(0)} ms | ${last[0].groups?.length} | ${last[0].findings?.length ?? '—'} | ${median(times[1]).toFixed(0)} ms | ${last[1].groups?.length} |`,
    );
  } finally {
    await client.close();
  }
}

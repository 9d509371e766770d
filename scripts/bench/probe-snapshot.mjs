#!/usr/bin/env node
// Python probe, snapshot time for 1 000 / 10 000 / 100 000 pending asyncio tasks
// (test/fixtures/python/many_tasks.py, stopped at breakpoint() under Debian's real debugpy, driven
// over DAP without VS Code). Side by side in one debuggee per size:
//   probe      — snapshot_json() of every task (groupBy 'none') inside the program, timed there;
//   end to end — evaluate snapshot_json_parts() of every task in the paused frame, fetch the remaining
//                parts (debugpy drops messages over 16 MiB), join, JSON.parse;
//   grouped    — the same end to end for the request the view sends (groups at the source, 100 tasks
//                per group): what a user waits for.
// Median of 3 each, after one warm-up that also loads the probe. Goals (issue 5): ≤ 300 ms end to
// end at 10 000 tasks, ≤ 2 s at 100 000. ASYNC_TOOLKIT_PYTHON chooses the interpreter; probe-versions
// runs 10 000 tasks on every version.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { median } from './lib/median.mjs';

readCommandLine({
  usage: 'node scripts/bench/probe-snapshot.mjs (after a build; tuned by BENCH_* variables, no options)',
});

const root = new URL('../..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const { DebugpyClient } = require(join(root, 'out/test/support/debugpyClient.js'));
const source = require(join(root, 'out/src/tasks/sources/python/pythonSource.js'));
const python = process.env.ASYNC_TOOLKIT_PYTHON || '/usr/bin/python3';
const probePath = join(root, 'python', 'async_toolkit_probe.py');
const probeSource = readFileSync(probePath, 'utf8');
const moduleName = source.probeModuleName(probeSource);
const program = join(root, 'test', 'fixtures', 'python', 'many_tasks.py');
const RUNS = 3;
const FLAT = { groupBy: 'none', limit: 1_000_000 };
const GROUPED = { maxTasksPerGroup: 100, includeInternals: false, minAgeMs: 0 };

async function endToEnd(client, frameId, expression) {
  const started = performance.now();
  const first = source.unquoteEvaluateResult(await client.evaluate(frameId, expression));
  let parts = 1;
  const text = await source.collectParts(first, async (index) => {
    parts += 1;
    return source.unquoteEvaluateResult(
      await client.evaluate(frameId, source.partExpression(moduleName, index)),
    );
  });
  const snapshot = source.interpretProbeResult(text);
  return { ms: performance.now() - started, chars: text.length, snapshot, parts };
}

console.log('### Python probe: snapshot of N pending asyncio tasks under debugpy (median of 3)');
console.log(
  '| pending tasks | probe in the program, every task | end to end, every task | JSON, every task | parts | end to end, grouped as the view asks | JSON, grouped |',
);
console.log('|---|---|---|---|---|---|---|');
for (const count of [1000, 10000, 100000]) {
  const client = DebugpyClient.start(python);
  try {
    const { frameId } = await client.launchUntilStopped(python, program, [String(count)]);
    await endToEnd(
      client,
      frameId,
      source.installAndSnapshotExpression(moduleName, probeSource, probePath, GROUPED),
    );
    const inProgram = [];
    const flat = [];
    const grouped = [];
    let lastFlat;
    let lastGrouped;
    for (let run = 0; run < RUNS; run++) {
      const seconds = await client.evaluate(
        frameId,
        `(lambda m, time: (lambda t0: (m.snapshot_json(**${JSON.stringify(FLAT).replace('1000000', '10**6')}), '%.6f' % (time.perf_counter() - t0))[1])(time.perf_counter()))(__import__('sys').modules[${JSON.stringify(moduleName)}], __import__('time'))`,
      );
      inProgram.push(Number(seconds) * 1000);
      lastFlat = await endToEnd(client, frameId, source.snapshotExpression(moduleName, FLAT));
      flat.push(lastFlat.ms);
      if (lastFlat.snapshot.tasks.length !== count + 1)
        throw new Error(`expected ${count + 1} tasks, got ${lastFlat.snapshot.tasks.length}`);
      lastGrouped = await endToEnd(client, frameId, source.snapshotExpression(moduleName, GROUPED));
      grouped.push(lastGrouped.ms);
      if (lastGrouped.snapshot.truncated?.totalTasks !== count + 1)
        throw new Error(
          `expected ${count + 1} tasks counted: ${JSON.stringify(lastGrouped.snapshot.truncated)}`,
        );
    }
    const mib = (chars) => `${(chars / 1024 / 1024).toFixed(1)} MiB`;
    console.log(
      `| ${count.toLocaleString('en')} | ${median(inProgram).toFixed(0)} ms | ${median(flat).toFixed(0)} ms | ${mib(lastFlat.chars)} | ${lastFlat.parts} | ${median(grouped).toFixed(0)} ms | ${(lastGrouped.chars / 1024).toFixed(0)} KiB |`,
    );
  } finally {
    await client.close();
  }
}

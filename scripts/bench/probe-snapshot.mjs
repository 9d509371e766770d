#!/usr/bin/env node
// Python probe, snapshot time for 1 000 / 10 000 / 100 000 pending asyncio tasks
// (test/fixtures/python/many_tasks.py, stopped at breakpoint() under Debian's real debugpy, driven
// over DAP without VS Code). Side by side in one debuggee per size:
//   probe      — snapshot_json() inside the program, timed there (what the probe itself costs);
//   end to end — what the extension does: evaluate snapshot_json_parts() in the paused frame, fetch
//                the remaining parts (debugpy drops messages over 16 MiB), join, JSON.parse.
// Median of 3 each, after one warm-up that also loads the probe. Goals (issue 5): ≤ 300 ms end to
// end at 10 000 tasks, ≤ 2 s at 100 000.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const { DebugpyClient } = require(join(root, 'out/test/unit/tasks/pythonSourceDebugpyClient.js'));
const source = require(join(root, 'out/src/tasks/sources/python/pythonSource.js'));
const python = process.env.ASYNC_TOOLKIT_PYTHON || '/usr/bin/python3';
const probePath = join(root, 'python', 'async_toolkit_probe.py');
const probeSource = readFileSync(probePath, 'utf8');
const moduleName = source.probeModuleName(probeSource);
const program = join(root, 'test', 'fixtures', 'python', 'many_tasks.py');
const RUNS = 3;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

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
  return { ms: performance.now() - started, chars: text.length, tasks: snapshot.tasks.length, parts };
}

console.log('### Python probe: snapshot of N pending asyncio tasks under debugpy (median of 3)');
console.log(
  '| pending tasks | probe in the program (ms) | end to end through evaluate (ms) | end to end ÷ probe | JSON (MiB) | parts |',
);
console.log('|---|---|---|---|---|---|');
for (const count of [1000, 10000, 100000]) {
  const client = DebugpyClient.start(python);
  try {
    const { frameId } = await client.launchUntilStopped(python, program, [String(count)]);
    await endToEnd(
      client,
      frameId,
      source.installAndSnapshotExpression(moduleName, probeSource, probePath, {}),
    );
    const inProgram = [];
    const through = [];
    let last;
    for (let run = 0; run < RUNS; run++) {
      const seconds = await client.evaluate(
        frameId,
        `(lambda m, time: (lambda t0: (m.snapshot_json(), '%.6f' % (time.perf_counter() - t0))[1])(time.perf_counter()))(__import__('sys').modules[${JSON.stringify(moduleName)}], __import__('time'))`,
      );
      inProgram.push(Number(seconds) * 1000);
      last = await endToEnd(client, frameId, source.snapshotExpression(moduleName, {}));
      through.push(last.ms);
      if (last.tasks !== count + 1) throw new Error(`expected ${count + 1} tasks, got ${last.tasks}`);
    }
    const probeMs = median(inProgram);
    const endMs = median(through);
    console.log(
      `| ${count.toLocaleString('en')} | ${probeMs.toFixed(0)} | ${endMs.toFixed(0)} | ${(endMs / probeMs).toFixed(2)} | ${(last.chars / 1024 / 1024).toFixed(1)} | ${last.parts} |`,
    );
  } finally {
    await client.close();
  }
}

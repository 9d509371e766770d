#!/usr/bin/env node
// Activation time of the extension in a real extension host (code-server), in fresh hosts, next to
// a trivial extension activated in the same host. Goal: ≤ 20 ms.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { median } from './lib/median.mjs';

readCommandLine({ usage: 'node scripts/bench/activation.mjs (after a build; no options)' });

const root = new URL('../..', import.meta.url).pathname;
const runs = Number(process.env.BENCH_RUNS ?? 6);
const samples = [];
const folder = mkdtempSync(join(tmpdir(), 'async-toolkit-bench-'));
for (let run = 0; run < runs; run += 1) {
  const out = join(folder, `activation-${run}.json`);
  const result = spawnSync(
    process.execPath,
    ['scripts/test-host/runIntegration.mjs', '--suite', join(root, 'test', 'fixtures', 'activation-bench')],
    {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        ASYNC_TOOLKIT_BENCH_OUT: out,
        ASYNC_TOOLKIT_RESULTS: '',
        ASYNC_TOOLKIT_BENCH_ORDER: run % 2 ? 'floor-first' : 'toolkit-first',
      },
    },
  );
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    process.exit(1);
  }
  samples.push(JSON.parse(readFileSync(out, 'utf8')));
}
rmSync(folder, { recursive: true, force: true });
const asyncToolkit = median(samples.map((sample) => sample.asyncToolkit));
const floor = median(samples.map((sample) => sample.floor));
console.log('### Activation (real extension host, fresh host per run)');
console.log(`| measure | median of ${runs} (order alternated) |`);
console.log('|---|---|');
console.log(`| Async Toolkit: load bundle + activate() | ${asyncToolkit.toFixed(1)} ms |`);
console.log(`| trivial extension (floor), same hosts | ${floor.toFixed(1)} ms |`);
console.log(`| ratio | ${(asyncToolkit / floor).toFixed(1)}× |`);

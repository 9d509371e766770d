#!/usr/bin/env node
// Node agent, snapshot time: `snapshotJson()` plus parsing its result, in a program with 1 000, 10 000
// and 100 000 pending tasks from 10 sites (test/fixtures/agent/pendingWorkload.js; a third are async
// functions' promises, the rest their awaits and inner promises), median of 5 snapshots per process, in
// each creation-stack mode, in the default grouping (operations; by type in `off`, which has no stacks);
// and the heap the snapshots leave behind (after a full GC, before and after them). The view's rendering
// is measured by the view's own benchmark. Goal: ≤ 200 ms at 10 000, ≤ 1 s at 100 000, in every mode,
// keeping no heap. `BENCH_COMPARE_AGENT=/abs/path/to/agent.js` adds that build's median, measured right
// after this build's on the same workload.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { median } from './lib/median.mjs';

readCommandLine({
  usage: 'node scripts/bench/agent-snapshot.mjs (after a build; tuned by BENCH_COMPARE_AGENT; no options)',
});

const root = new URL('../..', import.meta.url).pathname;
const workload = join(root, 'test', 'fixtures', 'agent', 'pendingWorkload.js');
const agent = join(root, 'dist', 'agent.js');
const otherBuild = process.env.BENCH_COMPARE_AGENT;
const modes = ['sampled', 'off', 'all'];

function measure(agentPath, mode, count) {
  const result = spawnSync(process.execPath, ['--expose-gc', workload, String(count)], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: `--require ${agentPath}`, ASYNC_TOOLKIT_CREATION_STACKS: mode },
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

console.log(
  '### Snapshot time (agent side: snapshotJson + JSON.parse, default grouping, 50 tasks per group)',
);
const otherColumn = otherBuild ? ` other build (${otherBuild}): median (ms) |` : '';
console.log(
  `| mode | pending tasks | median (ms) |${otherColumn} JSON sent (KiB) | heap kept after the snapshots |`,
);
console.log(`|---|---|---|${otherBuild ? '---|' : ''}---|---|`);
for (const mode of modes) {
  for (const count of [1000, 10000, 100000]) {
    const { ms, size, total, keptBytes } = measure(agent, mode, count);
    const other = otherBuild ? ` ${measure(otherBuild, mode, count).ms.toFixed(0)} |` : '';
    const kept = `${(keptBytes / 1024 / 1024).toFixed(2)} MiB`;
    console.log(
      `| \`${mode}\` | ${total.toLocaleString('en')} | ${ms.toFixed(0)} |${other} ${(size / 1024).toFixed(0)} | ${kept} |`,
    );
  }
}

// Findings (issue 15): a program whose tasks are async calls awaiting async calls — every such `await`
// a step the agent may capture — and one pair in a hundred in a ring, which the snapshot reports. With
// `BENCH_COMPARE_AGENT=/abs/agent.js` (an earlier build, without findings) each row also runs that build,
// alternately in the same run, and gives the ratio.
const awaiting = join(root, 'test', 'fixtures', 'agent', 'awaitingWorkload.js');
const other = process.env.BENCH_COMPARE_AGENT;
const rounds = 3;
function awaitingRun(agentPath, mode, count) {
  const result = spawnSync(process.execPath, [awaiting, String(count)], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: `--require ${agentPath}`, ASYNC_TOOLKIT_CREATION_STACKS: mode },
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}
console.log('');
console.log(
  `### Snapshot time with findings (tasks awaiting async calls, 1 % in rings; median of ${rounds} processes, each the median of 5 snapshots)`,
);
console.log(
  other
    ? '| mode | pending promises | findings | ms | earlier build (ms) | ratio |\n|---|---|---|---|---|---|'
    : '| mode | pending promises | findings | ms |\n|---|---|---|---|',
);
for (const mode of ['sampled', 'all']) {
  for (const count of [10000, 100000]) {
    const ours = [];
    const theirs = [];
    let shown;
    for (let round = 0; round < rounds; round++) {
      shown = awaitingRun(agent, mode, count);
      ours.push(shown.ms);
      if (other) theirs.push(awaitingRun(other, mode, count).ms);
    }
    const cells = [`\`${mode}\``, count.toLocaleString('en'), shown.findings, median(ours).toFixed(0)];
    if (other) cells.push(median(theirs).toFixed(0), `${(median(ours) / median(theirs)).toFixed(2)}×`);
    console.log(`| ${cells.join(' | ')} |`);
  }
}

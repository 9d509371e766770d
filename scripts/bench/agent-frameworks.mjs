#!/usr/bin/env node
// Node agent on a framework: snapshot time (the default grouping, operations: `snapshotJson()` plus
// parsing it) on an express server with N requests in flight, each hanging in its handler on a lost
// driver callback (test/fixtures/frameworks/loadedExpress.js), without a debugger and under one attached
// as js-debug attaches. Median of the snapshots of one process per round, median over rounds.
// Goal (issue 18): ≤ 200 ms with 1 000 requests in flight. Rows, interleaved round by round: this build;
// another build (`BENCH_COMPARE_AGENT=/abs/path/to/agent.js`); and, without the agent, V8's heap query
// alone in the same program (`Runtime.queryObjects` for the promises): what any snapshot that finds the
// pending promises on the heap costs at least.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { repositoryRoot } from './lib/agentVariants.mjs';
import { launchUnderDebugger } from './lib/debuggerClient.mjs';
import { median } from './lib/median.mjs';

const usage =
  'node scripts/bench/agent-frameworks.mjs [--requests N (1000)] [--snapshots N (5)] [--rounds N (3)] (tuned by BENCH_COMPARE_AGENT)';
const { values } = readCommandLine({
  usage,
  options: {
    requests: { type: 'string', default: '1000' },
    snapshots: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
  },
});
const requests = Number(values.requests);
const snapshots = Number(values.snapshots);
const rounds = Number(values.rounds);
const program = join(repositoryRoot, 'test', 'fixtures', 'frameworks', 'loadedExpress.js');
const args = [program, String(requests), String(snapshots)];
const withAgent = (agent) => ({ ...process.env, NODE_OPTIONS: `--require ${agent}` });
const otherBuild = process.env.BENCH_COMPARE_AGENT;
const variants = [
  { label: 'this build', env: withAgent(join(repositoryRoot, 'dist', 'agent.js')) },
  ...(otherBuild ? [{ label: `other build (${otherBuild})`, env: withAgent(otherBuild) }] : []),
  {
    label: 'no agent: heap query alone',
    env: { ...process.env, NODE_OPTIONS: '', LOADED_EXPRESS_MEASURE: 'heap-query' },
  },
];

const lastJson = (text) => JSON.parse(text.trim().split('\n').pop());

async function plain(env) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  await new Promise((resolve) => child.once('close', resolve));
  return lastJson(stdout);
}

async function debugged(env) {
  const debuggee = await launchUnderDebugger(args, { env });
  try {
    let stdout = '';
    debuggee.child.stdout.on('data', (chunk) => (stdout += chunk));
    await debuggee.ended;
    return lastJson(stdout);
  } finally {
    await debuggee.stop();
  }
}

console.log(
  `### Snapshot time on an express server with ${requests} requests in flight (${new Date().toISOString().slice(0, 10)})`,
);
console.log(
  `| debugger | variant | operations | exact stacks (median) | JSON (KiB) | snapshot (ms, median of ${snapshots} × ${rounds} rounds) | slowest (ms) |`,
);
console.log('|---|---|---|---|---|---|---|');
for (const [label, run] of [
  ['none', plain],
  ['as js-debug attaches', debugged],
]) {
  const results = variants.map(() => []);
  for (let round = 0; round < rounds; round++)
    for (let index = 0; index < variants.length; index++) results[index].push(await run(variants[index].env));
  for (let index = 0; index < variants.length; index++) {
    const times = results[index].flatMap((result) => result.times);
    const { operations, size } = results[index][0];
    const exact = median(results[index].map((result) => result.exact ?? 0));
    const sent = size > 0 ? `${operations} | ${exact} | ${(size / 1024).toFixed(0)}` : '— | — | —';
    console.log(
      `| ${label} | ${variants[index].label} | ${sent} | ${median(times).toFixed(0)} | ${Math.max(...times).toFixed(0)} |`,
    );
  }
}

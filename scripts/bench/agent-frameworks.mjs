#!/usr/bin/env node
// Node agent on a framework: snapshot time (the default grouping, operations: `snapshotJson()` plus
// parsing it) on an express server with N requests in flight, each hanging in its handler on a lost
// driver callback (test/fixtures/frameworks/loadedExpress.js), without a debugger and under one attached
// as js-debug attaches. Median of the snapshots of one process per round, median over rounds.
// Goal (issue 18): ≤ 200 ms with 1 000 requests in flight.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { repositoryRoot } from './lib/agentVariants.mjs';
import { launchUnderDebugger } from './lib/debuggerClient.mjs';

const usage =
  'node scripts/bench/agent-frameworks.mjs [--requests N (1000)] [--snapshots N (5)] [--rounds N (3)]';
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
const env = { ...process.env, NODE_OPTIONS: `--require ${join(repositoryRoot, 'dist', 'agent.js')}` };
const args = [program, String(requests), String(snapshots)];

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const lastJson = (text) => JSON.parse(text.trim().split('\n').pop());

async function plain() {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  await new Promise((resolve) => child.once('close', resolve));
  return lastJson(stdout);
}

async function debugged() {
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
  `| debugger | operations | JSON (KiB) | snapshot (ms, median of ${snapshots} × ${rounds} rounds) | slowest (ms) |`,
);
console.log('|---|---|---|---|---|');
for (const [label, run] of [
  ['none', plain],
  ['as js-debug attaches', debugged],
]) {
  const results = [];
  for (let round = 0; round < rounds; round++) results.push(await run());
  const times = results.flatMap((result) => result.times);
  console.log(
    `| ${label} | ${results[0].operations} | ${(results[0].size / 1024).toFixed(0)} | ${median(times).toFixed(0)} | ${Math.max(...times).toFixed(0)} |`,
  );
}

#!/usr/bin/env node
// Node agent, operations: which share of them get exact stacks in the default mode (a stack captured at
// their innermost wait; the others show the last line known of each function, `inferred`), on the demo
// (demo/node/stuckRequests.js, 5 s), the job queue (test/fixtures/operations/jobQueue.js) and an HTTP
// server under load (test/fixtures/agent/busyHttpWorkload.js under `wrk -c32`, snapshot after 3 s), each
// without a debugger and under one attached as js-debug attaches. One snapshot per run, median of
// BENCH_RUNS (3) runs.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { repositoryRoot } from './lib/agentVariants.mjs';
import { launchUnderDebugger } from './lib/debuggerClient.mjs';
import { median } from './lib/median.mjs';

readCommandLine({
  usage:
    'node scripts/bench/agent-operations.mjs (after a build; tuned by BENCH_RUNS, BENCH_SNAPSHOT_MS, BENCH_AGENT=/abs/path/to/agent.js for another build, BENCH_WORKLOADS=demo,queue,http; no options)',
});

const rounds = Number(process.env.BENCH_RUNS ?? 3);
const agent = process.env.BENCH_AGENT ?? join(repositoryRoot, 'dist', 'agent.js');
const preload = join(repositoryRoot, 'scripts', 'bench', 'lib', 'snapshotLater.cjs');
const allWorkloads = [
  {
    key: 'demo',
    label: 'demo: stuck orders (5 s)',
    program: join(repositoryRoot, 'demo', 'node', 'stuckRequests.js'),
    ms: 5000,
  },
  {
    key: 'queue',
    label: 'job queue',
    program: join(repositoryRoot, 'test', 'fixtures', 'operations', 'jobQueue.js'),
    ms: 250,
  },
  {
    key: 'http',
    label: 'HTTP server under load (wrk -c32, 3 s)',
    program: join(repositoryRoot, 'test', 'fixtures', 'agent', 'busyHttpWorkload.js'),
    ms: 3000,
    load: true,
  },
];
const chosen = process.env.BENCH_WORKLOADS?.split(',');
const workloads = allWorkloads.filter((workload) => chosen === undefined || chosen.includes(workload.key));
const environment = (ms) => ({
  ...process.env,
  NODE_OPTIONS: `--require ${agent} --require ${preload}`,
  ASYNC_TOOLKIT_BENCH_SNAPSHOT_MS: String(ms),
});

function reportOf(stderr) {
  const line = stderr.split('\n').find((text) => text.startsWith('@@operations '));
  if (!line) throw new Error(`no report:\n${stderr}`);
  return JSON.parse(line.slice('@@operations '.length));
}

/** Starts wrk on the port the server prints first. */
function loadOnce(stdout) {
  return new Promise((resolve) => {
    stdout.once('data', (chunk) => {
      const { port } = JSON.parse(String(chunk).split('\n')[0]);
      resolve(spawn('wrk', ['-t2', '-c32', '-d6s', `http://127.0.0.1:${port}/`], { stdio: 'ignore' }));
    });
  });
}

async function plain(workload) {
  const child = spawn(process.execPath, [workload.program], {
    env: environment(workload.ms),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.resume();
  const wrk = workload.load ? await loadOnce(child.stdout) : undefined;
  await new Promise((resolve) => child.once('close', resolve));
  wrk?.kill();
  return reportOf(stderr);
}

async function debugged(workload) {
  const debuggee = await launchUnderDebugger([workload.program], { env: environment(workload.ms) });
  try {
    const wrk = workload.load ? await loadOnce(debuggee.child.stdout) : undefined;
    if (!workload.load) debuggee.child.stdout.resume();
    await debuggee.ended;
    wrk?.kill();
    return reportOf(debuggee.stderr());
  } finally {
    await debuggee.stop();
  }
}

if (spawnSync('wrk', ['--version']).error) console.log('(wrk is missing: the HTTP rows are skipped)');
console.log('### Operations with exact stacks, default mode');
console.log(
  `| workload | debugger | operations (median of ${rounds}) | with exact stacks | share | snapshot (ms) |`,
);
console.log('|---|---|---|---|---|---|');
for (const workload of workloads) {
  for (const [label, run] of [
    ['none', plain],
    ['as js-debug attaches', debugged],
  ]) {
    const reports = [];
    for (let round = 0; round < rounds; round += 1) reports.push(await run(workload));
    const shares = reports.map((report) => report.exact / Math.max(1, report.operations));
    const middle = reports[shares.indexOf(median(shares))];
    console.log(
      `| ${workload.label} | ${label} | ${middle.operations} | ${middle.exact} | ${(median(shares) * 100).toFixed(0)} % | ${middle.ms.toFixed(0)} |`,
    );
  }
}

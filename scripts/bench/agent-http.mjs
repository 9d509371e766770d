#!/usr/bin/env node
// Node agent, HTTP throughput: a node:http server with async handlers
// (test/fixtures/agent/httpWorkload.js) under `wrk` (Debian package `wrk`), without the agent, with a
// promise hook installed once and removed (the floor of any hook-based agent), and with the agent in each
// creation-stack mode, interleaved round by round; median requests per second over rounds and the ratio
// to the server without the agent. Goal: ≥ 97 % in the default mode, never below 90 %.
// A second table runs the same variants under a debugger attached as VS Code's js-debug attaches (the
// only way the extension loads the agent); `BENCH_DEBUGGER=0` skips it.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { agentVariantsWithFloor, repositoryRoot } from './lib/agentVariants.mjs';
import { launchUnderDebugger } from './lib/debuggerClient.mjs';
import { medianAndPairedRatioOfInterleavedRounds } from './lib/interleavedRounds.mjs';

readCommandLine({
  usage:
    'node scripts/bench/agent-http.mjs (after a build; tuned by BENCH_COMPARE_AGENT, BENCH_DEBUGGER, BENCH_DEBUGGER_RUNS, BENCH_RUNS, BENCH_SECONDS; no options)',
});

const root = repositoryRoot;
const rounds = Number(process.env.BENCH_RUNS ?? 5);
const debuggerRounds = Number(process.env.BENCH_DEBUGGER_RUNS ?? 3);
const underDebugger = process.env.BENCH_DEBUGGER !== '0';
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const workload = join(root, 'test', 'fixtures', 'agent', 'httpWorkload.js');
const variants = agentVariantsWithFloor;
const environment = (variant) => ({ ...process.env, NODE_OPTIONS: '', ...variant.env });

if (spawnSync('wrk', ['--version']).error) {
  console.log('### HTTP throughput\nskipped: `wrk` is not installed (`apt-get install -y wrk`).');
  process.exit(0);
}

function printTable(heading, roundCount, results) {
  console.log(heading);
  console.log(
    `| variant | median of ${roundCount} (requests/s) | vs. no agent | vs. no agent in the same round, median of ${roundCount} |`,
  );
  console.log('|---|---|---|---|');
  const percent = (ratio) => `${(ratio * 100).toFixed(1)} %`;
  variants.forEach((variant, index) => {
    const { median, pairedRatio } = results[index];
    console.log(
      `| ${variant.label} | ${median.toFixed(0)} | ${percent(median / results[0].median)} | ${percent(pairedRatio)} |`,
    );
  });
}

// Requests per second against a server that has printed its port on stdout; `ended` settles if it stops.
async function requestsPerSecond(stdout, ended) {
  const port = await new Promise((resolve, reject) => {
    stdout.once('data', (chunk) => resolve(JSON.parse(String(chunk)).port));
    ended.then((status) => {
      reject(new Error(`server ended${status === undefined ? '' : ` (${status})`} before it listened`));
    });
  });
  const url = `http://127.0.0.1:${port}/`;
  // A short warm-up so that every variant is measured with optimized code.
  spawnSync('wrk', ['-t1', '-c8', '-d1s', url], { encoding: 'utf8' });
  const result = spawnSync('wrk', ['-t2', '-c32', `-d${seconds}s`, url], { encoding: 'utf8' });
  const match = /Requests\/sec:\s+([\d.]+)/.exec(result.stdout);
  if (!match) throw new Error(`no result from wrk: ${result.stdout}${result.stderr}`);
  return Number(match[1]);
}

async function measure(variant) {
  const server = spawn(process.execPath, [workload], {
    env: environment(variant),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve(code ?? signal)));
  try {
    return await requestsPerSecond(server.stdout, exited);
  } finally {
    server.kill('SIGKILL');
    await exited;
  }
}

async function measureUnderDebugger(variant) {
  const debuggee = await launchUnderDebugger([workload], { env: environment(variant) });
  try {
    return await requestsPerSecond(debuggee.child.stdout, debuggee.ended);
  } catch (error) {
    await debuggee.disconnect();
    throw new Error(`${variant.label} under the debugger: ${error.message}\n${debuggee.stderr()}`);
  } finally {
    // The server never ends by itself: kill it, then close the connection.
    await debuggee.stop();
  }
}

printTable(
  `### HTTP throughput (wrk, 2 threads, 32 connections, ${seconds} s per run)`,
  rounds,
  await medianAndPairedRatioOfInterleavedRounds(variants, rounds, measure),
);
if (underDebugger) {
  console.log();
  printTable(
    `### HTTP throughput under a debugger attached as js-debug attaches (async call stacks 32 deep; wrk, 2 threads, 32 connections, ${seconds} s per run)`,
    debuggerRounds,
    await medianAndPairedRatioOfInterleavedRounds(variants, debuggerRounds, measureUnderDebugger),
  );
  console.log(
    'Ratios against the same program under the same debugger without the agent: the situation in which the extension loads the agent.',
  );
}

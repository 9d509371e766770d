#!/usr/bin/env node
// Node agent, worst-case promise churn: async functions awaiting settled promises in a tight loop
// (test/fixtures/agent/churnWorkload.js), without the agent, with a promise hook installed once and
// removed (the floor of any hook-based agent), and with the agent in each creation-stack mode, interleaved
// round by round. Each process reports its fastest repetition; the table shows the median over rounds and
// the ratio to the run without the agent. Goal: ≤ 1.3× in the default mode, never > 3×.
// A second table runs the same variants under a debugger attached as VS Code's js-debug attaches (the
// only way the extension loads the agent); `BENCH_DEBUGGER=0` skips it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { agentVariantsWithFloor, repositoryRoot } from './lib/agentVariants.mjs';
import { launchUnderDebugger } from './lib/debuggerClient.mjs';
import { medianOfInterleavedRounds } from './lib/interleavedRounds.mjs';

readCommandLine({
  usage:
    'node scripts/bench/agent-churn.mjs (after a build; tuned by BENCH_COMPARE_AGENT, BENCH_DEBUGGER, BENCH_DEBUGGER_RUNS, BENCH_RUNS; no options)',
});

const root = repositoryRoot;
const rounds = Number(process.env.BENCH_RUNS ?? 7);
const debuggerRounds = Number(process.env.BENCH_DEBUGGER_RUNS ?? 3);
const underDebugger = process.env.BENCH_DEBUGGER !== '0';
const workload = join(root, 'test', 'fixtures', 'agent', 'churnWorkload.js');
const variants = agentVariantsWithFloor;
const environment = (variant) => ({ ...process.env, NODE_OPTIONS: '', ...variant.env });

function printTable(heading, roundCount, medians) {
  console.log(heading);
  console.log(`| variant | median of ${roundCount} (ms) | vs. no agent |`);
  console.log('|---|---|---|');
  variants.forEach((variant, index) => {
    const value = medians[index];
    console.log(`| ${variant.label} | ${value.toFixed(1)} | ${(value / medians[0]).toFixed(2)}× |`);
  });
}

function measure(variant) {
  const result = spawnSync(process.execPath, [workload, String(variant.repetitions ?? 5)], {
    encoding: 'utf8',
    env: environment(variant),
  });
  if (result.status !== 0) throw new Error(`${variant.label}: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()).ms;
}

// One repetition per process: under the debugger a repetition takes seconds, so warm-up does not count.
async function measureUnderDebugger(variant) {
  const debuggee = await launchUnderDebugger([workload, '1'], { env: environment(variant) });
  try {
    // A program that fails also waits for the debugger; its stdout has arrived a moment later at most.
    const line = await Promise.race([
      resultLine(debuggee.child.stdout),
      debuggee.ended.then(() => new Promise((resolve) => setTimeout(resolve, 1000, null).unref())),
    ]);
    // The finished program waits for the debugger to disconnect before it exits (and prints its errors).
    await debuggee.disconnect();
    if (line === null) throw new Error(`ended without a result\n${debuggee.stderr()}`);
    return JSON.parse(line).ms;
  } catch (error) {
    throw new Error(`${variant.label} under the debugger: ${error.message}`);
  } finally {
    await debuggee.stop();
  }
}

// Resolves with the workload's JSON result line as soon as it has arrived on stdout.
function resultLine(stdout) {
  return new Promise((resolve) => {
    let output = '';
    stdout.setEncoding('utf8');
    stdout.on('data', (chunk) => {
      output += chunk;
      const completeLines = output.split('\n').slice(0, -1);
      const line = completeLines.find((candidate) => candidate.startsWith('{'));
      if (line !== undefined) resolve(line);
    });
  });
}

printTable(
  '### Promise churn (1 000 × 100 async calls × 10 awaits, fastest repetition per process)',
  rounds,
  await medianOfInterleavedRounds(variants, rounds, measure),
);
if (underDebugger) {
  console.log();
  printTable(
    '### Promise churn under a debugger attached as js-debug attaches (async call stacks 32 deep, one repetition per process)',
    debuggerRounds,
    await medianOfInterleavedRounds(variants, debuggerRounds, measureUnderDebugger),
  );
  console.log(
    'Ratios against the same program under the same debugger without the agent: the situation in which the extension loads the agent.',
  );
}

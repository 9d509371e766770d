#!/usr/bin/env node
// Node agent, worst-case promise churn: async functions awaiting settled promises in a tight loop
// (test/fixtures/agent/churnWorkload.js), without the agent and with it in each creation-stack mode,
// interleaved round by round. Each process reports its fastest repetition; the table shows the median
// over rounds and the ratio to the run without the agent. Goal: ≤ 1.3× in the default mode, never > 3×.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { agentVariants, repositoryRoot } from './lib/agentVariants.mjs';

const root = repositoryRoot;
const rounds = Number(process.env.BENCH_RUNS ?? 7);
const workload = join(root, 'test', 'fixtures', 'agent', 'churnWorkload.js');
const variants = agentVariants;

const samples = variants.map(() => []);
for (let round = 0; round < rounds; round += 1) {
  // Rotate the order each round so that no variant always runs on a warmer (or busier) machine.
  for (let k = 0; k < variants.length; k += 1) {
    const index = (k + round) % variants.length;
    const result = spawnSync(process.execPath, [workload, String(variants[index].repetitions ?? 5)], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '', ...variants[index].env },
    });
    if (result.status !== 0) throw new Error(`${variants[index].label}: ${result.stderr}`);
    samples[index].push(JSON.parse(result.stdout.trim().split('\n').pop()).ms);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const baseline = median(samples[0]);
console.log('### Promise churn (1 000 × 100 async calls × 10 awaits, fastest repetition per process)');
console.log(`| variant | median of ${rounds} (ms) | vs. no agent |`);
console.log('|---|---|---|');
variants.forEach((variant, index) => {
  const value = median(samples[index]);
  console.log(`| ${variant.label} | ${value.toFixed(1)} | ${(value / baseline).toFixed(2)}× |`);
});

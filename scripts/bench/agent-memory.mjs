#!/usr/bin/env node
// Node agent, memory: heap in use after a million short-lived promises and 300 000 dropped promises
// that never settle, then a full GC (test/fixtures/agent/manyPromises.js), without the agent and with
// it in each creation-stack mode. Goal: within a few MiB of the program without the agent.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { agentVariants, repositoryRoot } from './lib/agentVariants.mjs';
import { median } from './lib/median.mjs';

readCommandLine({
  usage:
    'node scripts/bench/agent-memory.mjs (after a build; tuned by BENCH_COMPARE_AGENT, BENCH_RUNS; no options)',
});

const root = repositoryRoot;
const rounds = Number(process.env.BENCH_RUNS ?? 3);
const workload = join(root, 'test', 'fixtures', 'agent', 'manyPromises.js');
// With `BENCH_COMPARE_AGENT`, another build's default mode is a row of its own (CONTRIBUTING.md).
const otherBuild = process.env.BENCH_COMPARE_AGENT;
const variants = otherBuild
  ? [
      agentVariants[0],
      { label: `other build (${otherBuild}), \`sampled\``, env: { NODE_OPTIONS: `--require ${otherBuild}` } },
      ...agentVariants.slice(1),
    ]
  : agentVariants;
const samples = variants.map(() => []);
for (let round = 0; round < rounds; round += 1) {
  variants.forEach((variant, index) => {
    const result = spawnSync(process.execPath, ['--expose-gc', workload], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '', ...variant.env },
    });
    if (result.status !== 0) throw new Error(`${variant.label}: ${result.stderr}`);
    samples[index].push(JSON.parse(result.stdout.trim().split('\n').pop()).heapUsed);
  });
}
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(2);
const baseline = median(samples[0]);
console.log('### Memory after 1 000 000 short-lived and 300 000 dropped never-settling promises');
console.log(`| variant | heap used after GC, median of ${rounds} (MiB) | vs. no agent |`);
console.log('|---|---|---|');
variants.forEach((variant, index) => {
  const value = median(samples[index]);
  const delta = value - baseline;
  console.log(
    `| ${variant.label} | ${mib(value)} | ${index === 0 ? '—' : `${delta >= 0 ? '+' : ''}${mib(delta)} MiB`} |`,
  );
});

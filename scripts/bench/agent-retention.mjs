#!/usr/bin/env node
// Node agent, memory the program dropped: a loopback HTTP server answers requests that each hold a
// 32 KiB buffer and leave a pending promise in a cache (test/fixtures/agent/droppedRequests.js), then
// drops the server and collects garbage. Reports the dropped buffers still alive, the heap in use and
// the resident set, without the agent and with it in each mode (and another build's default mode with
// `BENCH_COMPARE_AGENT`). Goal: no dropped buffer alive, heap within a few MiB of the program without
// the agent. Creation stacks once held V8 call sites, whose receivers and closures kept such objects
// alive (issue 13).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { agentVariants, repositoryRoot } from './lib/agentVariants.mjs';

readCommandLine({
  usage:
    'node scripts/bench/agent-retention.mjs (after a build; tuned by BENCH_COMPARE_AGENT, BENCH_REQUESTS; no options)',
});

const requests = Number(process.env.BENCH_REQUESTS ?? 5000);
const workload = join(repositoryRoot, 'test', 'fixtures', 'agent', 'droppedRequests.js');
const otherBuild = process.env.BENCH_COMPARE_AGENT;
const variants = [
  agentVariants[0],
  ...(otherBuild
    ? [
        {
          label: `other build (${otherBuild}), \`sampled\``,
          env: { NODE_OPTIONS: `--require ${otherBuild}` },
        },
      ]
    : []),
  ...agentVariants.slice(1),
];
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const results = variants.map((variant) => {
  const result = spawnSync(process.execPath, ['--expose-gc', workload, String(requests)], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', ...variant.env },
  });
  if (result.status !== 0) throw new Error(`${variant.label}: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
});
console.log(
  `### Memory the program dropped: ${requests} requests × 32 KiB buffers, after GC (Node ${process.version})`,
);
console.log('| variant | dropped buffers alive | heap used (MiB) | vs. no agent | RSS (MiB) |');
console.log('|---|---|---|---|---|');
variants.forEach((variant, index) => {
  const { alive, heapUsed, rss } = results[index];
  const delta = heapUsed - results[0].heapUsed;
  console.log(
    `| ${variant.label} | ${alive} of ${requests} | ${mib(heapUsed)} | ${index === 0 ? '—' : `${delta >= 0 ? '+' : ''}${mib(delta)} MiB`} | ${mib(rss)} |`,
  );
});

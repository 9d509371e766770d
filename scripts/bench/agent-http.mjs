#!/usr/bin/env node
// Node agent, HTTP throughput: a node:http server with async handlers
// (test/fixtures/agent/httpWorkload.js) under `wrk` (Debian package `wrk`), without the agent and with
// it in each creation-stack mode, interleaved round by round; median requests per second over rounds
// and the ratio to the server without the agent. Goal: ≥ 97 % in the default mode, never below 90 %.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { agentVariants, repositoryRoot } from './lib/agentVariants.mjs';

const root = repositoryRoot;
const rounds = Number(process.env.BENCH_RUNS ?? 5);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const workload = join(root, 'test', 'fixtures', 'agent', 'httpWorkload.js');
const variants = agentVariants;

if (spawnSync('wrk', ['--version']).error) {
  console.log('### HTTP throughput\nskipped: `wrk` is not installed (`apt-get install -y wrk`).');
  process.exit(0);
}

async function measure(env) {
  const server = spawn(process.execPath, [workload], {
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise((resolve, reject) => {
      server.stdout.once('data', (chunk) => resolve(JSON.parse(String(chunk)).port));
      server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const url = `http://127.0.0.1:${port}/`;
    // A short warm-up so that every variant is measured with optimized code.
    spawnSync('wrk', ['-t1', '-c8', '-d1s', url], { encoding: 'utf8' });
    const result = spawnSync('wrk', ['-t2', '-c32', `-d${seconds}s`, url], { encoding: 'utf8' });
    const match = /Requests\/sec:\s+([\d.]+)/.exec(result.stdout);
    if (!match) throw new Error(`no result from wrk: ${result.stdout}${result.stderr}`);
    return Number(match[1]);
  } finally {
    server.kill('SIGKILL');
  }
}

const samples = variants.map(() => []);
for (let round = 0; round < rounds; round += 1) {
  for (let k = 0; k < variants.length; k += 1) {
    const index = (k + round) % variants.length;
    samples[index].push(await measure(variants[index].env));
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const baseline = median(samples[0]);
console.log(`### HTTP throughput (wrk, 2 threads, 32 connections, ${seconds} s per run)`);
console.log(`| variant | median of ${rounds} (requests/s) | vs. no agent |`);
console.log('|---|---|---|');
variants.forEach((variant, index) => {
  const value = median(samples[index]);
  console.log(`| ${variant.label} | ${value.toFixed(0)} | ${((value / baseline) * 100).toFixed(1)} % |`);
});

#!/usr/bin/env node
// Node agent, fetch client: what following each request on undici's diagnostics channels costs
// (src/agent/fetchRequests.ts). A client making N fetches, 16 at a time, each reading its small body
// (test/fixtures/agent/fetchWorkload.js), against a node:http server in this process; variants: without
// the agent, with empty subscribers on the four channels (undici's publishing alone), with another build
// of the agent (`BENCH_COMPARE_AGENT`, e.g. main's, without the channels) and with this one, interleaved
// round by round. Median time and the median of each round's ratio to the run without the agent.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { agentVariants, repositoryRoot } from './lib/agentVariants.mjs';
import { medianAndPairedRatioOfInterleavedRounds } from './lib/interleavedRounds.mjs';

const { values } = readCommandLine({
  usage:
    'node scripts/bench/agent-fetch.mjs [--requests N (4000)] [--rounds N (5)] (after a build; BENCH_COMPARE_AGENT adds a row)',
  options: {
    requests: { type: 'string', default: '4000' },
    rounds: { type: 'string', default: '5' },
  },
});
const fixtures = join(repositoryRoot, 'test', 'fixtures', 'agent');
const channelsOnly = join(fixtures, 'undiciChannelsOnly.js');
const otherBuild = process.env.BENCH_COMPARE_AGENT;
const variants = [
  agentVariants[0],
  {
    label: 'empty subscribers on the undici channels (no agent)',
    env: { NODE_OPTIONS: `--require ${channelsOnly}` },
  },
  ...(otherBuild
    ? [
        {
          label: `other build (${otherBuild}), \`sampled\``,
          env: { NODE_OPTIONS: `--require ${otherBuild}` },
        },
      ]
    : []),
  agentVariants[2],
];

const server = createServer((_request, response) => response.end('{"stock":7}'));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/stock/7`;

async function elapsed(variant) {
  const child = spawn(process.execPath, [join(fixtures, 'fetchWorkload.js'), url, values.requests], {
    env: { ...process.env, NODE_OPTIONS: '', ...variant.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  await new Promise((resolve) => child.once('close', resolve));
  return JSON.parse(stdout.trim().split('\n').pop()).ms;
}

const rounds = Number(values.rounds);
const results = await medianAndPairedRatioOfInterleavedRounds(variants, rounds, elapsed);
server.close();
console.log(`### fetch client: ${values.requests} fetches, 16 at a time, Node ${process.version}`);
console.log(`| variant | median of ${rounds} (ms) | vs. no agent, paired median |`);
console.log('|---|---|---|');
variants.forEach((variant, index) => {
  const { median, pairedRatio } = results[index];
  console.log(`| ${variant.label} | ${median.toFixed(0)} | ${pairedRatio.toFixed(3)}× |`);
});

#!/usr/bin/env node
// The generated echo servers side by side: every flavour generated with the CLI, its server started as a
// user would (logging every connection), then in interleaved rounds (median of 3):
//   - one client echoing 64 MiB (sending and reading at once): throughput;
//   - 1 000 clients connected at once, each echoing 16 KiB of random bytes: time until all are back.
// Ratios are to the fastest flavour of the same run. Prints Markdown for BENCHMARKS.md.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { testSupport } from '../lib/testSupport.mjs';
import { median } from './lib/median.mjs';

readCommandLine({ usage: 'node scripts/bench/scaffold-echo.mjs (after a build; no options)' });
const root = new URL('../..', import.meta.url).pathname;
const { python } = testSupport('pythonInterpreter');
const { killProcessGroup } = testSupport('processGroup');
const { openSocket } = testSupport('loopbackPorts');
const flavours = [
  'python-trio',
  'python-asyncio-streams',
  'python-asyncio-protocol',
  'python-threading',
  'node-typescript',
];
const rounds = 3;
const work = mkdtempSync(join(tmpdir(), 'async-toolkit-bench-echo-'));
const servers = [];

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
}

async function startServer(flavour) {
  const dir = join(work, flavour);
  run(process.execPath, [join(root, 'dist', 'scaffold-cli.js'), flavour, dir]);
  let command = python;
  let args = ['server.py', '--port', '0'];
  if (flavour === 'node-typescript') {
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
    run('npm', ['run', '-s', 'build'], dir);
    command = process.execPath;
    args = ['dist/src/server.js', '--port', '0'];
  }
  const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  servers.push(child);
  let log = '';
  const port = await new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const match = log.match(/listening on [^ ]+:(\d+)/);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', () => reject(new Error(`${flavour} server exited: ${log}`)));
  });
  child.stderr.removeAllListeners('data');
  child.stderr.resume();
  return port;
}

/** Echoes `payload` over one connection: sends it, ends, reads until the server ends. Milliseconds. */
async function echo(port, payload) {
  const socket = await openSocket(port);
  let received = 0;
  socket.on('data', (chunk) => {
    received += chunk.length;
  });
  const closed = once(socket, 'close');
  socket.end(payload);
  await closed;
  if (received !== payload.length) throw new Error(`${received} of ${payload.length} bytes came back`);
}

async function time(action) {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

try {
  const ports = new Map();
  for (const flavour of flavours) ports.set(flavour, await startServer(flavour));
  const big = randomBytes(64 * 1024 * 1024);
  const small = Array.from({ length: 1000 }, () => randomBytes(16 * 1024));
  const results = new Map(flavours.map((flavour) => [flavour, { bulk: [], many: [] }]));
  for (let round = 0; round < rounds; round++) {
    for (const flavour of flavours) {
      const port = ports.get(flavour);
      results.get(flavour).bulk.push(await time(() => echo(port, big)));
      results
        .get(flavour)
        .many.push(await time(() => Promise.all(small.map((payload) => echo(port, payload)))));
    }
  }
  const bulk = new Map(flavours.map((flavour) => [flavour, median(results.get(flavour).bulk)]));
  const many = new Map(flavours.map((flavour) => [flavour, median(results.get(flavour).many)]));
  const fastestBulk = Math.min(...bulk.values());
  const fastestMany = Math.min(...many.values());
  console.log(`## Echo servers of the generated projects\n`);
  console.log(
    `\`node scripts/bench.mjs scaffold-echo\`, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ` +
      `${python}, median of ${rounds} interleaved rounds, servers logging every connection.\n`,
  );
  console.log(
    '| flavour | 64 MiB over one connection | vs. fastest | 1 000 clients × 16 KiB at once | vs. fastest |',
  );
  console.log('|---|---|---|---|---|');
  for (const flavour of flavours) {
    const mibPerSecond = (64 / (bulk.get(flavour) / 1000)).toFixed(0);
    console.log(
      `| \`${flavour}\` | ${bulk.get(flavour).toFixed(0)} ms (${mibPerSecond} MiB/s) | ${(bulk.get(flavour) / fastestBulk).toFixed(2)}× ` +
        `| ${many.get(flavour).toFixed(0)} ms | ${(many.get(flavour) / fastestMany).toFixed(2)}× |`,
    );
  }
} finally {
  for (const child of servers) killProcessGroup(child, 'SIGKILL');
  rmSync(work, { recursive: true, force: true });
}

#!/usr/bin/env node
// `npm test`: every layer, then one closing line "N passed, N failed".
//   node scripts/test.mjs                 all layers
//   node scripts/test.mjs unit python     only these layers
//   node scripts/test.mjs integration -- --grep "Node debug"   arguments after -- go to that one layer
//   node scripts/test.mjs --jobs 1        one layer at a time (default: 2 side by side where independent)
// Layers: lint, typecheck, build, unit, python, python-versions, guest, integration, restricted, e2e.
// They run in stages: the checks and the build; then the layers that run programs in plain processes,
// side by side (they share nothing but the build); then the layers that drive a VS Code host, one at a
// time (each starts code-server and Chromium, which would compete for the same two cores). A layer that
// runs side by side prints its output when it ends, so that each layer's log stays in one piece.
// Exits non-zero when a layer fails, when a test fails, or when no test ran at all.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { exitWithUsage, readCommandLine } from './lib/commandLine.mjs';

const root = new URL('..', import.meta.url).pathname;
const resultsDir = join(root, 'test-results');
const python = process.env.ASYNC_TOOLKIT_PYTHON || '/usr/bin/python3';

const usage = 'node scripts/test.mjs [--jobs N] [layer …] [-- arguments for the one layer]';
const separator = process.argv.indexOf('--');
const { values, positionals: requested } = readCommandLine({
  usage,
  options: { jobs: { type: 'string', default: '2' } },
  allowPositionals: true,
  args: process.argv.slice(2, separator === -1 ? undefined : separator),
});
const extra = separator === -1 ? [] : process.argv.slice(separator + 1);
const jobs = Number(values.jobs);
if (!Number.isInteger(jobs) || jobs < 1)
  exitWithUsage(usage, `--jobs must be a positive whole number, got "${values.jobs}"`);

/**
 * Each layer: its command, where it leaves its counts ({ passed, failed }) when it runs tests, and its
 * stage (layers of one stage may run side by side; stages run in order).
 */
const layers = {
  lint: { stage: 0, command: ['npx', 'biome', 'ci', '.'] },
  // Both projects: the extension and tests, and the Async Stacks webview's browser code (DOM types).
  typecheck: { stage: 0, command: ['npm', 'run', '-s', 'typecheck'] },
  build: { stage: 0, command: ['node', 'scripts/build.mjs'] },
  unit: {
    stage: 1,
    command: ['node', 'scripts/run-mocha.mjs', 'unit', 'out/test/unit'],
    counts: 'unit.json',
  },
  // Arguments after `npm test python --` go to pytest (`-k trio`).
  python: {
    stage: 1,
    command: ['node', 'scripts/run-pytest.mjs', python, 'test/python', '--'],
    counts: 'python.json',
  },
  // The probe on CPython 3.9-3.13 (pyenv) and 3.14 (Pyodide), with its end-to-end tests through debugpy
  // on each native version: prints the version table (test-results/python-versions.md).
  //   node scripts/test.mjs python-versions -- --versions 3.9,3.14 -- -k trio
  'python-versions': {
    stage: 1,
    command: ['node', 'scripts/python-versions/run-python-versions.mjs'],
    counts: 'python-versions.json',
  },
  // Real programs with and without the agent, on every Node major and creation-stack mode (test/guest/).
  guest: {
    stage: 1,
    command: ['node', 'scripts/run-mocha.mjs', 'guest', 'out/test/guest'],
    counts: 'guest.json',
  },
  integration: {
    stage: 2,
    command: ['node', 'scripts/test-host/runIntegration.mjs'],
    counts: 'integration.json',
  },
  // The same host with workspace trust on and the folder untrusted: what the extension still does there.
  restricted: {
    stage: 2,
    command: [
      'node',
      'scripts/test-host/runIntegration.mjs',
      '--untrusted',
      '--suite',
      'out/test/restricted',
      '--results-name',
      'restricted',
    ],
    counts: 'restricted.json',
  },
  e2e: { stage: 2, command: ['node', 'scripts/run-mocha.mjs', 'e2e', 'out/test/e2e'], counts: 'e2e.json' },
};
/** Stages whose layers may run side by side. The checks and the build are quick: in order, for a readable start. */
const PARALLEL_STAGES = new Set([1]);

const chosen = requested.length ? [...requested] : Object.keys(layers);
for (const name of chosen) {
  if (!layers[name])
    exitWithUsage(usage, `Unknown test layer "${name}". Layers: ${Object.keys(layers).join(', ')}`);
}
// Test layers run compiled code: build first unless the caller only asked for lint or typecheck.
if (!chosen.includes('build') && chosen.some((name) => layers[name].counts)) chosen.unshift('build');
const onlyOneTestLayer = chosen.filter((name) => layers[name].counts).length === 1;
if (extra.length && !onlyOneTestLayer) exitWithUsage(usage, 'arguments after -- need exactly one test layer');

/** Runs one layer; resolves with its exit status and, when buffered, its output. */
function runLayer(name, buffered) {
  const layer = layers[name];
  const args = [...layer.command.slice(1), ...(layer.counts ? extra : [])];
  return new Promise((resolve) => {
    const child = spawn(layer.command[0], args, {
      cwd: root,
      stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env: { ...process.env, ASYNC_TOOLKIT_RESULTS: resultsDir },
    });
    const output = [];
    if (buffered) {
      child.stdout.on('data', (chunk) => output.push(chunk));
      child.stderr.on('data', (chunk) => output.push(chunk));
    }
    child.on('error', (error) => resolve({ status: 127, output: [Buffer.from(`${error.message}\n`)] }));
    child.on('close', (status, signal) => resolve({ status: status ?? signal, output }));
  });
}

mkdirSync(resultsDir, { recursive: true });
let passed = 0;
let failed = 0;
const failures = [];
const started = Date.now();

/** Reads a layer's counts and adds its line to the closing summary. */
function account(name, status, seconds) {
  const layer = layers[name];
  const countsFile = layer.counts && join(resultsDir, layer.counts);
  if (countsFile) {
    const counts = existsSync(countsFile) ? JSON.parse(readFileSync(countsFile, 'utf8')) : null;
    if (!counts) {
      failed += 1;
      failures.push(`${name}: no results (the runner crashed or ran nothing)`);
    } else {
      passed += counts.passed;
      failed += counts.failed;
      if (counts.failed) {
        failures.push(`${name}: ${counts.failed} failed`);
        for (const { title, error } of counts.failedTests ?? [])
          failures.push(`  ✗ ${title}: ${error.slice(0, 200)}`);
      }
      if (counts.passed + counts.failed === 0) failures.push(`${name}: no test ran`);
      console.log(`━━ ${name}: ${counts.passed} passed, ${counts.failed} failed (${seconds} s)`);
    }
  } else {
    console.log(`━━ ${name}: ${status === 0 ? 'ok' : 'FAILED'} (${seconds} s)`);
  }
  if (status !== 0 && !failures.some((line) => line.startsWith(`${name}:`))) {
    failures.push(`${name}: exited with ${status}`);
    if (!countsFile) failed += 1;
  }
}

async function runStage(names, sideBySide) {
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const layer = layers[name];
      if (layer.counts) rmSync(join(resultsDir, layer.counts), { force: true });
      const layerStart = Date.now();
      console.log(
        `\n━━ ${name} ━━ ${layer.command.join(' ')}${sideBySide ? ' (side by side; output when it ends)' : ''}`,
      );
      const { status, output } = await runLayer(name, sideBySide);
      if (sideBySide) {
        console.log(`\n━━ ${name} ━━ output`);
        process.stdout.write(Buffer.concat(output));
      }
      account(name, status, ((Date.now() - layerStart) / 1000).toFixed(1));
    }
  };
  const workers = sideBySide ? Math.min(jobs, names.length) : 1;
  await Promise.all(Array.from({ length: workers }, worker));
}

const stages = [...new Set(chosen.map((name) => layers[name].stage))].sort((a, b) => a - b);
for (const stage of stages) {
  const names = chosen.filter((name) => layers[name].stage === stage);
  await runStage(names, PARALLEL_STAGES.has(stage) && jobs > 1 && names.length > 1);
  // A failed build leaves nothing to test.
  if (stage === 0 && failures.some((line) => line.startsWith('build:'))) break;
}

const minutes = ((Date.now() - started) / 60000).toFixed(1);
if (failures.length) console.log(`\nFailures:\n  ${failures.join('\n  ')}`);
console.log(`\n(${chosen.join(', ')} in ${minutes} min)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failures.length || passed === 0 ? 1 : 0);

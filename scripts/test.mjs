#!/usr/bin/env node
// `npm test`: every layer, in order, then one closing line "N passed, N failed".
//   node scripts/test.mjs                 all layers
//   node scripts/test.mjs unit python     only these layers
//   node scripts/test.mjs integration -- --grep "Node debug"   extra arguments go to that layer
// Layers: lint, typecheck, build, unit, python, python-versions, guest, integration, restricted, e2e.
// Exits non-zero when a layer fails, when a test fails, or when no test ran at all.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const resultsDir = join(root, 'test-results');
const separator = process.argv.indexOf('--');
const requested = process.argv.slice(2, separator === -1 ? undefined : separator);
const extra = separator === -1 ? [] : process.argv.slice(separator + 1);
const python = process.env.ASYNC_TOOLKIT_PYTHON || '/usr/bin/python3';

/** Each layer: a command, and where it leaves its counts ({ passed, failed }) when it runs tests. */
const layers = {
  lint: { command: ['npx', 'biome', 'ci', '.'] },
  typecheck: { command: ['npx', 'tsc', '--noEmit', '-p', '.'] },
  build: { command: ['node', 'scripts/build.mjs'] },
  unit: { command: ['node', 'scripts/run-mocha.mjs', 'unit', 'out/test/unit'], counts: 'unit.json' },
  python: { command: ['node', 'scripts/run-pytest.mjs', python, 'test/python'], counts: 'python.json' },
  // The probe on CPython 3.9-3.13 (pyenv) and 3.14 (Pyodide), with its end-to-end tests through debugpy
  // on each native version: prints the version table (test-results/python-versions.md).
  //   node scripts/test.mjs python-versions -- --versions 3.9,3.14 -- -k trio
  'python-versions': {
    command: ['node', 'scripts/python-versions/run-python-versions.mjs'],
    counts: 'python-versions.json',
  },
  // Real programs with and without the agent, on every Node major and creation-stack mode (test/guest/).
  guest: { command: ['node', 'scripts/run-mocha.mjs', 'guest', 'out/test/guest'], counts: 'guest.json' },
  integration: { command: ['node', 'scripts/test-host/runIntegration.mjs'], counts: 'integration.json' },
  // The same host with workspace trust on and the folder untrusted: what the extension still does there.
  restricted: {
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
  e2e: { command: ['node', 'scripts/run-mocha.mjs', 'e2e', 'out/test/e2e'], counts: 'e2e.json' },
};

const chosen = requested.length ? requested : Object.keys(layers);
for (const name of chosen) {
  if (!layers[name]) {
    console.error(`Unknown test layer "${name}". Layers: ${Object.keys(layers).join(', ')}`);
    process.exit(2);
  }
}
// Test layers run compiled code: build first unless the caller only asked for lint or typecheck.
if (!chosen.includes('build') && chosen.some((name) => layers[name].counts)) chosen.unshift('build');

mkdirSync(resultsDir, { recursive: true });
let passed = 0;
let failed = 0;
const failures = [];
const started = Date.now();
for (const name of chosen) {
  const layer = layers[name];
  const countsFile = layer.counts && join(resultsDir, layer.counts);
  if (countsFile) rmSync(countsFile, { force: true });
  const layerStart = Date.now();
  console.log(`\n━━ ${name} ━━ ${layer.command.join(' ')}`);
  const onlyThisLayer = chosen.filter((n) => layers[n].counts).length === 1;
  const args = [...layer.command.slice(1), ...(layer.counts && onlyThisLayer ? extra : [])];
  const result = spawnSync(layer.command[0], args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ASYNC_TOOLKIT_RESULTS: resultsDir },
  });
  const seconds = ((Date.now() - layerStart) / 1000).toFixed(1);
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
    console.log(`━━ ${name}: ${result.status === 0 ? 'ok' : 'FAILED'} (${seconds} s)`);
  }
  if (result.status !== 0 && !failures.some((line) => line.startsWith(`${name}:`))) {
    failures.push(`${name}: exited with ${result.status ?? result.signal}`);
    if (!countsFile) failed += 1;
  }
}

const minutes = ((Date.now() - started) / 60000).toFixed(1);
if (failures.length) console.log(`\nFailures:\n  ${failures.join('\n  ')}`);
console.log(`\n(${chosen.join(', ')} in ${minutes} min)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failures.length || passed === 0 ? 1 : 0);

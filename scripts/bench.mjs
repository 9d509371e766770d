#!/usr/bin/env node
// `npm run bench`: builds, then runs every scripts/bench/*.mjs (or those named) one after another,
// so that no two benchmarks compete for the two cores. Each prints Markdown for BENCHMARKS.md.
//   npm run bench [-- activation agent-churn …]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { exitWithUsage, readCommandLine } from './lib/commandLine.mjs';

const root = new URL('..', import.meta.url).pathname;
const available = readdirSync(join(root, 'scripts', 'bench'))
  .filter((name) => name.endsWith('.mjs'))
  .map((name) => name.replace(/\.mjs$/, ''))
  .sort();
const usage = `node scripts/bench.mjs [name…], names: ${available.join(' ')}`;
const { positionals: wanted } = readCommandLine({ usage, allowPositionals: true });
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length) exitWithUsage(usage, `no benchmark named ${unknown.join(', ')}`);
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
const benches = available
  .filter((name) => !wanted.length || wanted.includes(name))
  .map((name) => `${name}.mjs`);
let failed = 0;
console.log(`# Benchmarks, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}`);
for (const name of benches) {
  console.log(`\n<!-- ${name} -->`);
  const result = spawnSync(process.execPath, [join('scripts', 'bench', name)], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    failed += 1;
    console.error(`${name} failed with ${result.status ?? result.signal}`);
  }
}
process.exit(failed ? 1 : 0);

#!/usr/bin/env node
// `npm run bench`: builds, then runs every scripts/bench/*.mjs (or those named) one after another,
// so that no two benchmarks compete for the two cores. Each prints Markdown for BENCHMARKS.md.
//   npm run bench [-- activation agent-churn …]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const wanted = process.argv.slice(2);
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
const benches = readdirSync(join(root, 'scripts', 'bench'))
  .filter((name) => name.endsWith('.mjs'))
  .filter((name) => !wanted.length || wanted.includes(name.replace(/\.mjs$/, '')))
  .sort();
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

#!/usr/bin/env node
// Runs pytest with the given interpreter and records the counts from its JUnit report.
//   node scripts/run-pytest.mjs <python> <folder> [pytest arguments]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [python, folder, ...rest] = process.argv.slice(2);
const report = join(mkdtempSync(join(tmpdir(), 'pytest-')), 'report.xml');
const result = spawnSync(
  python,
  ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', `--junit-xml=${report}`, folder, ...rest],
  {
    stdio: 'inherit',
  },
);
let passed = 0;
let failed = 0;
if (existsSync(report)) {
  for (const match of readFileSync(report, 'utf8').matchAll(/<testsuite\b([^>]*)>/g)) {
    const number = (key) => Number(new RegExp(`\\b${key}="(\\d+)"`).exec(match[1])?.[1] ?? 0);
    failed += number('failures') + number('errors');
    passed += number('tests') - number('failures') - number('errors') - number('skipped');
  }
}
if (process.env.ASYNC_TOOLKIT_RESULTS) {
  writeFileSync(join(process.env.ASYNC_TOOLKIT_RESULTS, 'python.json'), JSON.stringify({ passed, failed }));
}
// pytest exits 5 when it collected nothing: that is a failure for us too.
process.exit(result.status ?? 1);

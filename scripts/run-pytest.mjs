#!/usr/bin/env node
// Runs pytest with the given interpreter and records the counts (and the failed tests' names) from its
// JUnit report, the way the mocha layers record theirs.
//   node scripts/run-pytest.mjs <python> <folder> [pytest arguments]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countCases, readJunitReport } from './python-versions/junitReport.mjs';

const [python, folder, ...rest] = process.argv.slice(2);
const reportDir = mkdtempSync(join(tmpdir(), 'pytest-'));
const report = join(reportDir, 'report.xml');
const result = spawnSync(
  python,
  ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', `--junit-xml=${report}`, folder, ...rest],
  {
    stdio: 'inherit',
  },
);
const { passed, failed, failedTests } = countCases(readJunitReport(report));
rmSync(reportDir, { recursive: true, force: true });
if (process.env.ASYNC_TOOLKIT_RESULTS) {
  writeFileSync(
    join(process.env.ASYNC_TOOLKIT_RESULTS, 'python.json'),
    JSON.stringify({ passed, failed, failedTests }),
  );
}
// pytest exits 5 when it collected nothing: that is a failure for us too.
process.exit(result.status ?? 1);

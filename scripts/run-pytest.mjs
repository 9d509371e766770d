#!/usr/bin/env node
// Runs pytest with the given interpreter and records the counts (and the failed tests' names) from its
// JUnit report, the way the mocha layers record theirs.
//   node scripts/run-pytest.mjs <python> <folder> [-- pytest arguments]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitWithUsage, readCommandLine } from './lib/commandLine.mjs';
import { countCases, readJunitReport } from './python-versions/junitReport.mjs';

const usage = 'node scripts/run-pytest.mjs <python> <folder> [-- pytest arguments]';
const separator = process.argv.indexOf('--');
const { positionals } = readCommandLine({
  usage,
  allowPositionals: true,
  args: process.argv.slice(2, separator === -1 ? undefined : separator),
});
if (positionals.length !== 2)
  exitWithUsage(usage, 'an interpreter and a folder are needed; pytest arguments go after --');
const [python, folder] = positionals;
const rest = separator === -1 ? [] : process.argv.slice(separator + 1);
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

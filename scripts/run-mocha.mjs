#!/usr/bin/env node
// Runs every *.test.js below a folder with mocha in this Node process and records the counts.
//   node scripts/run-mocha.mjs <results-name> <folder> [--grep PATTERN]
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Mocha from 'mocha';
import { exitWithUsage, readCommandLine } from './lib/commandLine.mjs';
import { testSupport } from './lib/testSupport.mjs';

const usage = 'node scripts/run-mocha.mjs <results-name> <folder> [--grep PATTERN]';
const { values, positionals } = readCommandLine({
  usage,
  options: { grep: { type: 'string' } },
  allowPositionals: true,
});
if (positionals.length !== 2) exitWithUsage(usage, 'a results name and a folder are needed, nothing else');
const [name, folder] = positionals;

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 20_000, color: !process.env.CI });
if (values.grep !== undefined) mocha.grep(values.grep);
let files = [];
try {
  files = findTests(resolve(folder)).sort();
} catch {
  // No folder yet: no tests in this layer, which the caller reports as a failure.
}
for (const file of files) mocha.addFile(file);
// Named in the counts file too, so that `npm test` can list them at the very end of its output. The
// record's shape is shared with the extension host's runner; this script runs after the build.
const { failedTestOf } = testSupport('failedTest');
const failedTests = [];
mocha
  .run((failures) => {
    process.exitCode = failures ? 1 : 0;
  })
  .on('fail', (test, error) => {
    failedTests.push(failedTestOf(test, error));
  })
  .on('end', function onEnd() {
    const { passes, failures } = this.stats;
    if (process.env.ASYNC_TOOLKIT_RESULTS) {
      writeFileSync(
        join(process.env.ASYNC_TOOLKIT_RESULTS, `${name}.json`),
        JSON.stringify({ passed: passes, failed: failures, failedTests }),
      );
    }
    // A test that failed half-way can leave a child or a socket behind that keeps this process alive
    // for good (seen: e2e tests after the test host failed to install). The counts are written: end
    // anyway after a grace period, and say what was left. Unref'd, so a clean run exits at once.
    setTimeout(() => {
      console.error(
        `[${name}] still running 10 s after the tests ended (${process.getActiveResourcesInfo().join(', ')}): exiting`,
      );
      process.exit(process.exitCode ?? 1);
    }, 10_000).unref();
  });

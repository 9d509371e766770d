// The extension host loads this module as `extensionTestsPath` and calls `run()`. It runs every
// *.test.js of the suite folder with mocha and reports through files, because the extension host's
// console is not ours: the runner (scripts/test-host/runIntegration.mjs) tails the progress file and
// reads the results file.
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { type FailedTest, failedTestOf } from '../support/failedTest';

const progressFile = process.env.ASYNC_TOOLKIT_PROGRESS;
const resultsFile = process.env.ASYNC_TOOLKIT_INTEGRATION_RESULTS;

function report(line: string) {
  if (progressFile) appendFileSync(progressFile, `${line}\n`);
  else console.log(line);
}

/** For the runner's closing summary. */
const failedTests: FailedTest[] = [];

/** A spec-like reporter that writes to the progress file. */
class FileReporter {
  constructor(runner: Mocha.Runner) {
    let depth = 0;
    runner.on('suite', (suite) => {
      if (suite.title) report(`${'  '.repeat(depth)}${suite.title}`);
      depth += 1;
    });
    runner.on('suite end', () => {
      depth -= 1;
    });
    runner.on('pass', (test) => report(`${'  '.repeat(depth)}✓ ${test.title} (${test.duration ?? 0} ms)`));
    runner.on('pending', (test) => report(`${'  '.repeat(depth)}- ${test.title} (skipped)`));
    runner.on('fail', (test, error: Error) => {
      failedTests.push(failedTestOf(test, error));
      report(`${'  '.repeat(depth)}✗ ${test.title}`);
      report(
        String(error?.stack ?? error)
          .split('\n')
          .map((line) => `${'  '.repeat(depth + 2)}${line}`)
          .join('\n'),
      );
    });
  }
}

export function run(): Promise<void> {
  const suiteDir = process.env.ASYNC_TOOLKIT_SUITE_DIR || __dirname;
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    reporter: FileReporter as unknown as typeof Mocha.reporters.Base,
  });
  if (process.env.ASYNC_TOOLKIT_GREP) mocha.grep(process.env.ASYNC_TOOLKIT_GREP);
  // In name order: activation.test.js relies on running first, before anything activates the extension.
  const files = readdirSync(suiteDir)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  for (const name of files) mocha.addFile(join(suiteDir, name));
  report(`Running ${files.length} integration test file(s) from ${suiteDir} in VS Code's extension host`);
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const passed = runner.stats?.passes ?? 0;
      if (resultsFile) {
        writeFileSync(resultsFile, JSON.stringify({ passed, failed: failures, failedTests }));
      }
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else if (passed === 0) reject(new Error('no integration test ran'));
      else resolve();
    });
  });
}

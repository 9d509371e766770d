#!/usr/bin/env node
// Runs the integration suites inside a real VS Code extension host: code-server on a free loopback
// port, its workbench opened in Debian's Chromium with the test payload, mocha inside the host.
//   node scripts/test-host/runIntegration.mjs [--suite <folder of compiled *.test.js>] [--grep PATTERN]
//                                             [--timeout-minutes N] [--keep] [--vsix <file>]
// With --vsix the extension is installed from that package as a user would, instead of being loaded
// from the working tree. With --untrusted the workspace opens in Restricted Mode (workspace trust on,
// folder not trusted). --results-name names the counts file (default "integration").
// Prints the suites' progress, then "N passed, N failed"; exits non-zero when a test fails, when no
// test ran, or when the host does not finish in time. Everything it starts is ended by process group.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exitWithUsage, readCommandLine } from '../lib/commandLine.mjs';

const usage =
  'node scripts/test-host/runIntegration.mjs [--suite FOLDER] [--grep PATTERN] [--timeout-minutes N] ' +
  '[--keep] [--vsix FILE] [--untrusted] [--results-name NAME]';
const { values } = readCommandLine({
  usage,
  options: {
    suite: { type: 'string' },
    grep: { type: 'string', default: '' },
    'timeout-minutes': { type: 'string', default: '25' },
    keep: { type: 'boolean', default: false },
    vsix: { type: 'string', default: '' },
    untrusted: { type: 'boolean', default: false },
    'results-name': { type: 'string', default: 'integration' },
  },
});
const root = resolve(new URL('../..', import.meta.url).pathname);
const suiteDir = resolve(values.suite ?? join(root, 'out', 'test', 'integration'));
const grep = values.grep;
const timeoutMinutes = Number(values['timeout-minutes']);
if (!(timeoutMinutes > 0))
  exitWithUsage(usage, `--timeout-minutes must be a positive number, got "${values['timeout-minutes']}"`);
const timeoutMs = timeoutMinutes * 60_000;
const keepState = values.keep;
const vsix = values.vsix;
const untrusted = values.untrusted;
const resultsName = values['results-name'];
const entryModule = join(root, 'out', 'test', 'integration', 'index.js');
// A test-only extension contributing a `debugpy` debugger type (ms-python's extension is not
// installable offline): the product's Python support must work with whatever provides that type.
const debugpyExtension = join(root, 'test', 'fixtures', 'debugpy-extension');

if (!existsSync(entryModule)) {
  console.error(`${entryModule} is missing: run \`npm run build\` first.`);
  process.exit(2);
}
// Loaded once the build is known to be there: the test host loads the compiled test support.
const { launchBrowser } = await import('./browser.mjs');
const { installExtension, startCodeServer, workbenchUrl } = await import('./codeServer.mjs');

// One attempt: a fresh code-server with its own state folder, the workbench, the suite.
async function attempt() {
  const stateDir = mkdtempSync(join(tmpdir(), 'async-toolkit-integration-'));
  const workspace = join(stateDir, 'workspace');
  mkdirSync(workspace);
  const progressFile = join(stateDir, 'progress.log');
  const resultsFile = join(stateDir, 'results.json');
  writeFileSync(progressFile, '');
  const serverLog = [];
  let progressPrinted = 0;
  const flushProgress = () => {
    const text = readFileSync(progressFile, 'utf8');
    if (text.length > progressPrinted) {
      process.stdout.write(text.slice(progressPrinted));
      progressPrinted = text.length;
    }
  };

  // The workbench takes one development extension from the URL: the extension under test; the helper
  // extension goes into the extensions folder, which code-server scans on its first start. With --vsix
  // the package is installed there instead, and the helper extension is the development one (tests
  // need one).
  let developmentExtension = root;
  if (vsix) {
    installExtension(stateDir, resolve(vsix));
    developmentExtension = debugpyExtension;
  } else {
    cpSync(debugpyExtension, join(stateDir, 'extensions', 'async-toolkit-tests.test-debugpy-0.0.1'), {
      recursive: true,
    });
  }

  let server;
  let browser;
  let tail;
  let exitCode = 1;
  let counts = { passed: 0, failed: 0 };
  try {
    server = await startCodeServer({
      stateDir,
      untrusted,
      env: {
        ASYNC_TOOLKIT_PROGRESS: progressFile,
        ASYNC_TOOLKIT_INTEGRATION_RESULTS: resultsFile,
        ASYNC_TOOLKIT_SUITE_DIR: suiteDir,
        ASYNC_TOOLKIT_GREP: grep,
        ASYNC_TOOLKIT_REPO: root,
        ASYNC_TOOLKIT_WORKSPACE: workspace,
      },
      log: (line) => serverLog.push(line),
    });
    console.log(
      `[integration] code-server ${server.url}, suite ${suiteDir}${grep ? `, grep "${grep}"` : ''}`,
    );
    tail = setInterval(flushProgress, 200); // stream the suite's progress as it happens

    browser = await launchBrowser();
    const page = await browser.newPage();
    const hostExit = new Promise((resolveExit) => {
      page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
    });
    await page.exposeFunction('codeAutomationLog', () => {});
    await page.goto(
      workbenchUrl(server, {
        folder: workspace,
        extensionDevelopmentPaths: [developmentExtension],
        extensionTestsPath: entryModule,
      }),
    );
    let timer;
    const timedOut = new Promise((resolveTimeout) => {
      timer = setTimeout(() => resolveTimeout('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([hostExit, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      console.error(`[integration] the extension host did not finish within ${timeoutMs / 60_000} minutes`);
    } else {
      exitCode = outcome;
    }
    if (existsSync(resultsFile)) counts = JSON.parse(readFileSync(resultsFile, 'utf8'));
    else exitCode = 1;
  } catch (error) {
    console.error(`[integration] ${error?.stack ?? error}`);
    exitCode = 1;
  } finally {
    clearInterval(tail);
    flushProgress(); // whatever the suite wrote after the last tick
    await browser?.close().catch(() => {});
    await server?.stop();
  }

  if (exitCode !== 0 || counts.passed + counts.failed === 0) {
    exitCode = exitCode || 1;
    console.error('\n[integration] failed: last lines of the code-server and extension host logs follow.');
    console.error(serverLog.slice(-40).join('\n'));
    for (const file of findLogs(join(stateDir, 'user-data', 'logs'))) {
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      console.error(`\n--- ${file} (last 60 lines)\n${lines.slice(-60).join('\n')}`);
    }
  }
  if (keepState) console.log(`[integration] state kept in ${stateDir}`);
  else rmSync(stateDir, { recursive: true, force: true });
  return { exitCode, counts, suiteStarted: progressPrinted > 0 };
}

let result = await attempt();
if (result.exitCode !== 0 && !result.suiteStarted) {
  // The suite never started (the workbench or its extension host went away before calling run()):
  // that is the test host failing, not a test, so try once more and say so.
  console.error('[integration] the extension host never started the suite; retrying once with a fresh host');
  result = await attempt();
}
if (process.env.ASYNC_TOOLKIT_RESULTS) {
  writeFileSync(
    join(process.env.ASYNC_TOOLKIT_RESULTS, `${resultsName}.json`),
    JSON.stringify(result.counts),
  );
}
console.log(`${result.counts.passed} passed, ${result.counts.failed} failed`);
process.exit(result.exitCode);

function findLogs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findLogs(path);
    return /^(remoteexthost|exthost|remoteagent)\.log$/.test(name) ? [path] : [];
  });
}

// The scripts' flags are read strictly (scripts/lib/commandLine.mjs): a mistyped flag stops a script
// with its usage line before it does anything, instead of being ignored while the script goes on.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { killProcessGroup } from '../support/processGroup';
import { repositoryRoot } from '../support/repositoryRoot';

interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node <args>` from the repository root in a process group of its own, killed whole after
 * `timeoutMs`: a script that wrongly went on (a build, a benchmark, code-server) must not outlive the test.
 */
function runScript(args: string[], timeoutMs = 30_000): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: repositoryRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // No counts file for `npm test` to pick up from a script run here.
      env: { ...process.env, ASYNC_TOOLKIT_RESULTS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => killProcessGroup(child, 'SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      killProcessGroup(child, 'SIGKILL'); // anything it started goes with it
      resolve({ status, stdout, stderr });
    });
  });
}

const scripts = [
  'scripts/test-host/runIntegration.mjs',
  'scripts/build.mjs',
  'scripts/start.mjs',
  'scripts/run-mocha.mjs',
  'scripts/bench.mjs',
  'scripts/package.mjs',
  'scripts/generate-snippet-catalogue.mjs',
  'scripts/bench/view-render.mjs',
  'scripts/bench/scaffold-echo.mjs',
  'scripts/test.mjs',
  'scripts/run-pytest.mjs',
  'scripts/bench/probe-findings.mjs',
  'scripts/bench/probe-snapshot.mjs',
  'scripts/bench/probe-versions.mjs',
  'scripts/bench/stacks-layout.mjs',
  'scripts/bench/stacks-render.mjs',
  'scripts/bench/activation.mjs',
];

describe('script command lines', () => {
  for (const script of scripts) {
    it(`${script} refuses an unknown flag with its usage line, exit status 2`, async () => {
      const result = await runScript([script, '--no-such-flag']);
      const output = `${result.stdout}\n${result.stderr}`;
      assert.equal(result.status, 2, output);
      assert.match(result.stderr, /Unknown option '--no-such-flag'/, output);
      assert.match(result.stderr, new RegExp(`^usage: node ${script.replaceAll('.', '\\.')}`, 'm'), output);
    });
  }

  it('scripts/build.mjs prints its usage for --help and builds nothing', async () => {
    const result = await runScript(['scripts/build.mjs', '--help']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'usage: node scripts/build.mjs [--production] [--watch]\n');
  });

  it('npm test refuses an unknown layer and arguments after -- for more than one layer, before running anything', async () => {
    const unknown = await runScript(['scripts/test.mjs', 'units']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /Unknown test layer "units"/);
    const ambiguous = await runScript(['scripts/test.mjs', 'unit', 'python', '--', '--grep', 'x']);
    assert.equal(ambiguous.status, 2);
    assert.match(ambiguous.stderr, /arguments after -- need exactly one test layer/);
  });

  it('npm start refuses to listen on a non-loopback address without --allow-remote', async () => {
    const result = await runScript(['scripts/start.mjs', '--host', '0.0.0.0']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Refusing to serve VS Code on 0\.0\.0\.0/);
  });

  it('npm start refuses a --port that is not a TCP port number', async () => {
    const result = await runScript(['scripts/start.mjs', '--port', '70000']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--port must be a TCP port number, got "70000"/);
  });
});

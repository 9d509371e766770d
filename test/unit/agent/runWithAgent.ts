// Runs a fixture program under a Node binary with the built agent preloaded, the way the debug
// configuration provider loads it (NODE_OPTIONS=--require …), and returns what it printed.
import { spawn } from 'node:child_process';
import { isAbsolute, join } from 'node:path';

import { repositoryRoot } from '../../support/repositoryRoot';

export { repositoryRoot };
export const agentPath = join(repositoryRoot, 'dist', 'agent.js');
export const fixturesDir = join(repositoryRoot, 'test', 'fixtures', 'agent');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  node?: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  /** Load the agent (default true). */
  withAgent?: boolean;
  /** Kill the program after this long: a program that should have exited and did not fails the test. */
  timeoutMs?: number;
}

/** `fixture`: a file in test/fixtures/agent, an absolute path, or a flag such as `-e` (then `args` follow). */
export function runFixture(fixture: string, options: RunOptions = {}): Promise<RunResult> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  const preload = options.withAgent === false ? '' : `--require ${JSON.stringify(agentPath)}`;
  env.NODE_OPTIONS = [preload, options.env?.NODE_OPTIONS ?? ''].filter(Boolean).join(' ');
  const child = spawn(
    options.node ?? process.execPath,
    [
      isAbsolute(fixture) || fixture.startsWith('-') ? fixture : join(fixturesDir, fixture),
      ...(options.args ?? []),
    ],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The last line of stdout that parses as JSON: fixtures print their snapshot last. */
export function lastJson<T>(result: RunResult): T {
  const lines = result.stdout.trim().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      return JSON.parse(lines[i]) as T;
    } catch {}
  }
  throw new Error(
    `no JSON in the fixture's output (exit ${result.code ?? result.signal}):\n${result.stdout}\n${result.stderr}`,
  );
}

// Runs a fixture program in the state js-debug puts a debuggee in (the situation in which the extension
// loads the agent): started with `--inspect-brk`, attached over the inspector's WebSocket, with the
// Runtime and Debugger domains enabled and async call stacks 32 frames deep (js-debug's default
// `showAsyncStacks`), every pause resumed at once. The client is the product's CDP connection.
import { spawn } from 'node:child_process';
import { connectCdp } from '../../../src/tasks/sources/node/cdpConnection';
import { agentPath, type RunResult } from './runWithAgent';

// What Node itself prints on stderr around an inspector session: not the program's output.
const inspectorMessage =
  /^(Debugger listening on |For help, see: |Debugger attached\.|Debugger ending on |Waiting for the debugger to disconnect\.\.\.)/;

export interface DebuggedRunOptions {
  node: string;
  args?: string[];
  timeoutMs?: number;
}

/** Like `runFixture` (with the agent), but under a debugger attached as js-debug attaches. */
export function runUnderDebugger(fixture: string, options: DebuggedRunOptions): Promise<RunResult> {
  const child = spawn(
    options.node,
    ['--inspect-brk=127.0.0.1:0', '--require', agentPath, fixture, ...(options.args ?? [])],
    { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let attached: Promise<void> | undefined;
  let closeConnection = () => {};
  const attach = async (url: string) => {
    const connection = await connectCdp(url, 10_000, (method) => {
      if (method === 'Debugger.paused') connection.send('Debugger.resume').catch(() => {});
    });
    closeConnection = () => connection.close();
    await connection.send('Runtime.enable');
    await connection.send('Debugger.enable');
    await connection.send('Debugger.setAsyncCallStackDepth', { maxDepth: 32 });
    await connection.send('Runtime.runIfWaitingForDebugger');
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    const url = /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
    if (url !== undefined && attached === undefined) attached = attach(url);
    // A program that has ended waits for its debugger to go, as under js-debug.
    if (stderr.includes('Waiting for the debugger to disconnect')) closeConnection();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', async (code, signal) => {
      clearTimeout(timer);
      closeConnection();
      try {
        await attached;
      } catch (error) {
        stderr += `\n(attaching failed: ${(error as Error).message})`;
      }
      const programStderr = stderr
        .split('\n')
        .filter((line) => !inspectorMessage.test(line))
        .join('\n');
      resolve({ code, signal, stdout, stderr: programStderr });
    });
  });
}

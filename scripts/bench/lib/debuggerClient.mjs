// Runs a Node program under an inspector client that attaches the way VS Code's js-debug does, so that
// the agent benchmarks can measure the one situation in which the extension loads the agent: a program
// launched for debugging. js-debug (the copy bundled with code-server 4.139.1,
// extensions/ms-vscode.js-debug/src/extension.js, search `setAsyncCallStackDepth`) enables the Runtime and
// Debugger domains when it connects and, with its default `showAsyncStacks: true` for a `node` launch,
// asks V8 for async call stacks 32 frames deep. That alone makes promise churn ~90× slower, and it
// invalidates V8's promise hook protector as any promise hook does, so it sets the baseline the agent
// adds to. Every pause (the --inspect-brk first line, a `debugger` statement) is resumed at once.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

// The product's own CDP client, compiled by the build the benchmarks run after.
const { connectCdp } = createRequire(import.meta.url)('../../../out/src/tasks/sources/node/cdpConnection.js');

// What Node itself prints on stderr around an inspector session; not the program's output.
const inspectorMessage =
  /^(Debugger listening on |For help, see: |Debugger attached\.|Debugger ending on |Waiting for the debugger to disconnect\.\.\.)/;
const attachTimeoutMs = 15_000;
const exitAfterDisconnectMs = 5_000;

// Programs still running when the benchmark exits, whatever the reason, are killed rather than left
// waiting for a debugger.
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `node --inspect-brk=127.0.0.1:0 …args`, attaches, and lets it run. Returns
 * `{ child, ended, stderr(), disconnect(), stop() }`: `child.stdout` is the program's output; `ended`
 * resolves when the program has finished (successfully or not: Node then prints "Waiting for the debugger
 * to disconnect..." and waits) or exited; `stderr()` is its error output without the inspector's
 * messages; `disconnect()` closes the connection and waits (a few seconds at most) for the program to
 * exit, which a finished program does only once the debugger has gone; `stop()` kills the program if it
 * still runs, then closes the connection. Call `stop()` in a `finally`.
 */
export async function launchUnderDebugger(args, { env }) {
  const child = spawn(process.execPath, ['--inspect-brk=127.0.0.1:0', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise((resolve) => {
    // 'close' rather than 'exit': by then all of its output has been read.
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal);
    });
  });
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const stderrLines = [];
  let finished;
  const ended = Promise.race([exited, new Promise((resolve) => (finished = resolve))]);
  let connection;
  const stop = async () => {
    if (!hasExited()) child.kill('SIGKILL');
    await exited;
    connection?.close();
  };
  try {
    const url = await debuggerUrl(child, stderrLines, exited, finished);
    // Every pause (the first line, `debugger;`) is resumed at once.
    connection = await connectCdp(url, attachTimeoutMs, (method) => {
      if (method === 'Debugger.paused') connection?.send('Debugger.resume').catch(() => {});
    });
    const send = connection.send;
    await send('Runtime.enable');
    await send('Debugger.enable');
    await send('Debugger.setAsyncCallStackDepth', { maxDepth: 32 });
    await send('Runtime.runIfWaitingForDebugger');
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n${stderrLines.join('\n')}`);
  }
  return {
    child,
    ended,
    stderr: () => stderrLines.join('\n'),
    async disconnect() {
      connection.close();
      let timer;
      await Promise.race([
        exited,
        new Promise((resolve) => {
          timer = setTimeout(resolve, exitAfterDisconnectMs);
        }),
      ]);
      clearTimeout(timer);
    },
    stop,
  };
}

// Resolves with the inspector's WebSocket address from Node's "Debugger listening on ws://…" line;
// keeps collecting the program's other stderr lines afterwards, and calls `finished` when Node says the
// program is done and waits for the debugger.
function debuggerUrl(child, stderrLines, exited, finished) {
  return new Promise((resolve, reject) => {
    let pending = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop();
      for (const line of lines) {
        const listening = /^Debugger listening on (ws:\/\/\S+)/.exec(line);
        if (listening) resolve(listening[1]);
        else if (line.startsWith('Waiting for the debugger to disconnect')) finished();
        else if (!inspectorMessage.test(line)) stderrLines.push(line);
      }
    });
    const timer = setTimeout(() => reject(new Error('no inspector address on stderr')), attachTimeoutMs);
    timer.unref();
    exited.then((status) => reject(new Error(`exited with ${status} before a debugger attached`)));
  });
}

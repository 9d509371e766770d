// Runs a Node program under an inspector client that attaches the way VS Code's js-debug does, so that
// the agent benchmarks can measure the one situation in which the extension loads the agent: a program
// launched for debugging. js-debug (the copy bundled with code-server 4.139.1,
// extensions/ms-vscode.js-debug/src/extension.js, search `setAsyncCallStackDepth`) enables the Runtime and
// Debugger domains when it connects and, with its default `showAsyncStacks: true` for a `node` launch,
// asks V8 for async call stacks 32 frames deep. That alone makes promise churn ~90× slower, and it
// invalidates V8's promise hook protector as any promise hook does, so it sets the baseline the agent
// adds to. Every pause (the --inspect-brk first line, a `debugger` statement) is resumed at once.
import { spawn } from 'node:child_process';
import { WebSocket } from 'ws';

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
  let socket;
  const stop = async () => {
    if (!hasExited()) child.kill('SIGKILL');
    await exited;
    socket?.terminate();
  };
  try {
    const url = await debuggerUrl(child, stderrLines, exited, finished);
    socket = await connect(url);
    const send = commandSender(socket);
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
      socket.close();
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

function connect(url) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.once('open', () => resolve(socket));
    // Before the connection opens, an error fails the launch; after, the program's exit (killed or
    // finished) resets the connection, which is expected.
    socket.on('error', reject);
  });
}

// Returns `send(method, params)`, resolving with the result of that command; resumes every pause.
function commandSender(socket) {
  let nextId = 1;
  const replies = new Map();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.method === 'Debugger.paused') {
      socket.send(JSON.stringify({ id: nextId++, method: 'Debugger.resume' }));
    } else if (replies.has(message.id)) {
      const { resolve, reject, method } = replies.get(message.id);
      replies.delete(message.id);
      if (message.error) reject(new Error(`${method}: ${message.error.message}`));
      else resolve(message.result);
    }
  });
  socket.on('close', () => {
    for (const { reject, method } of replies.values()) reject(new Error(`${method}: connection closed`));
    replies.clear();
  });
  return (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      replies.set(id, { resolve, reject, method });
      socket.send(JSON.stringify({ id, method, params }));
    });
}

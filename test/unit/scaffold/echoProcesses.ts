// Real processes and sockets for the scaffold tests: generated servers, clients, the seed's programs,
// and a load of concurrent connections. Everything started here is killed by stopAll().
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { openSocket } from '../../support/loopbackPorts';
import { killProcessGroup } from '../../support/processGroup';
/** Python warnings are errors in every program these tests start (the templates must be warning-free). */
export const pythonEnvironment = { ...process.env, PYTHONWARNINGS: 'error', PYTHONDONTWRITEBYTECODE: '1' };
const patience = 60_000;

const running = new Set<ChildProcess>();

/** Starts a command in a process group of its own (so the whole tree can be stopped). */
export function start(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = pythonEnvironment,
) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  child.on('exit', () => running.delete(child));
  return child;
}

export function stopAll(): void {
  for (const child of running) killProcessGroup(child, 'SIGKILL');
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

export function finished(child: ChildProcess): Promise<Finished> {
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(stdout), stderr })),
  );
}

/** Runs a command to completion with `input` on its standard input. */
export async function run(
  command: string,
  args: string[],
  cwd: string,
  input?: Buffer,
  env?: NodeJS.ProcessEnv,
) {
  const child = start(command, args, cwd, env);
  const result = finished(child);
  child.stdin?.end(input);
  return result;
}

/** Resolves with the first match of `pattern` in what `stream` has written so far or writes next. */
export function waitForOutput(
  child: ChildProcess,
  stream: 'stdout' | 'stderr',
  pattern: RegExp,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(
      () => done(new Error(`no ${stream} output matched ${pattern} in time:\n${text}`)),
      patience,
    );
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = text.match(pattern);
      if (match) done(undefined, match);
    };
    const onExit = () => done(new Error(`exited before its ${stream} matched ${pattern}:\n${text}`));
    const done = (error?: Error, match?: RegExpMatchArray) => {
      clearTimeout(timer);
      child[stream]?.off('data', onData);
      child.off('exit', onExit);
      if (match) resolve(match);
      else reject(error);
    };
    child[stream]?.on('data', onData);
    child.on('exit', onExit);
  });
}

/** A generated server, started from its project folder; resolves once it logs "listening on". */
export async function startServer(command: string, args: string[], cwd: string) {
  const child = start(command, args, cwd);
  child.stdout?.resume();
  const match = await waitForOutput(child, 'stderr', /listening on [^ ]+:(\d+)/);
  child.stderr?.resume(); // keep draining the log, or a busy server would block writing it
  return { child, port: Number(match[1]) };
}

/**
 * Opens `clients` connections at once, then each sends its own random payload and reads its echo;
 * resolves with the number of connections whose echo differed (0 when every byte came back).
 */
export async function loadCheck(port: number, clients: number, payloadBytes: number): Promise<number> {
  const sockets = await Promise.all(Array.from({ length: clients }, () => openSocket(port)));
  const results = await Promise.all(
    sockets.map(async (socket) => {
      const payload = randomBytes(payloadBytes);
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      const closed = once(socket, 'close');
      socket.end(payload);
      await closed;
      return Buffer.concat(chunks).equals(payload);
    }),
  );
  return results.filter((ok) => !ok).length;
}

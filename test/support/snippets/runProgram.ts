// Runs a program the way a test needs it: its own process group (so a server and its children can be
// stopped together), a time limit, and its output collected.
import { type ChildProcess, spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { killProcessGroup } from '../processGroup';

export interface ProgramResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunningProgram {
  child: ChildProcess;
  /** Everything written so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves when the program has exited (after the time limit it is killed). */
  exited: Promise<ProgramResult>;
  /** Resolves when stdout matches, rejects if the program exits first. */
  waitForOutput(pattern: RegExp): Promise<void>;
  /** Sends a signal to the whole process group. */
  signal(name: NodeJS.Signals): void;
}

export function startProgram(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): RunningProgram {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  const waiters: { pattern: RegExp; resolve: () => void; reject: (error: Error) => void }[] = [];
  const signalGroup = (name: NodeJS.Signals) => killProcessGroup(child, name);
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const waiter of waiters.filter((w) => w.pattern.test(stdout))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => {
    timedOut = true;
    signalGroup('SIGKILL');
  }, options.timeoutMs);
  const exited = new Promise<ProgramResult>((resolve) => {
    child.on('error', (error) => {
      stderr += String(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // A server's children (process pools, resolver threads) go with it.
      signalGroup('SIGKILL');
      for (const waiter of waiters.splice(0)) {
        waiter.reject(new Error(`exited before printing ${waiter.pattern}:\n${stdout}\n${stderr}`));
      }
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
  return {
    child,
    output: () => ({ stdout, stderr }),
    exited,
    waitForOutput: (pattern) =>
      pattern.test(stdout)
        ? Promise.resolve()
        : new Promise((resolve, reject) => {
            waiters.push({ pattern, resolve, reject });
          }),
    signal: signalGroup,
  };
}

export function runProgram(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<ProgramResult> {
  return startProgram(command, args, options).exited;
}

/** Sends `message`, half-closes, and returns everything received until the server closes. */
export function echoRoundTrip(port: number, message: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = createConnection({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete echo within ${timeoutMs} ms (got ${JSON.stringify(received)})`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.end(message);
  });
}

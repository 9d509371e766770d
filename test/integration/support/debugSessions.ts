// Drives real debug sessions from inside the extension host: start, wait for a stop, evaluate.
import * as assert from 'node:assert/strict';
import { basename } from 'node:path';
import * as vscode from 'vscode';

export interface StoppedSession {
  session: vscode.DebugSession;
  threadId: number;
}

/** Watches every debug adapter's `stopped` events; resolves on the first stop in a session accepted by `filter`. */
export function waitForStop(
  filter: (session: vscode.DebugSession) => boolean,
  timeoutMs = 30_000,
): Promise<StoppedSession> {
  return new Promise((resolve, reject) => {
    const disposables: vscode.Disposable[] = [];
    const finish = (error?: Error, value?: StoppedSession) => {
      clearTimeout(timer);
      for (const disposable of disposables) disposable.dispose();
      if (error) reject(error);
      else if (value) resolve(value);
    };
    const timer = setTimeout(
      () => finish(new Error(`no debug session stopped within ${timeoutMs} ms`)),
      timeoutMs,
    );
    disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (message: { type?: string; event?: string; body?: { threadId?: number } }) => {
            if (message.type === 'event' && message.event === 'stopped' && filter(session)) {
              finish(undefined, { session, threadId: message.body?.threadId ?? 0 });
            }
          },
        }),
      }),
    );
  });
}

/**
 * Launches a Node program through js-debug and resolves at its first stop, in the child session (the
 * one attached to the process: the launcher above it never answers `evaluate`). `extra` adds to the
 * launch configuration (`env`, `runtimeExecutable`, …).
 */
export async function launchNodeStopped(
  program: string,
  extra: Record<string, unknown> = {},
): Promise<StoppedSession> {
  const stopped = waitForStop(
    (session) => session.type === 'pwa-node' && session.parentSession !== undefined,
  );
  const started = await vscode.debug.startDebugging(undefined, {
    type: 'node',
    request: 'launch',
    name: basename(program),
    program,
    console: 'internalConsole',
    ...extra,
  });
  assert.equal(started, true, `js-debug did not start ${program}`);
  return stopped;
}

/** Rejects when a custom request does not answer in time: adapters may silently ignore requests. */
export async function requestWithTimeout<T>(
  session: vscode.DebugSession,
  command: string,
  args: unknown,
  timeoutMs = 10_000,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${command} got no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return (await Promise.race([session.customRequest(command, args), timeout])) as T;
  } finally {
    clearTimeout(timer);
  }
}

/** The top frame of a stopped thread, for evaluating in its scope. */
export async function topFrameId(session: vscode.DebugSession, threadId: number): Promise<number> {
  const trace = await requestWithTimeout<{ stackFrames: { id: number }[] }>(session, 'stackTrace', {
    threadId,
    startFrame: 0,
    levels: 1,
  });
  return trace.stackFrames[0].id;
}

export async function stopAllSessions(): Promise<void> {
  const ended = new Promise<void>((resolve) => {
    if (!vscode.debug.activeDebugSession) return resolve();
    const listener = vscode.debug.onDidTerminateDebugSession(() => {
      if (!vscode.debug.activeDebugSession) {
        listener.dispose();
        resolve();
      }
    });
    setTimeout(() => {
      listener.dispose();
      resolve();
    }, 10_000);
  });
  await vscode.debug.stopDebugging();
  await ended;
}

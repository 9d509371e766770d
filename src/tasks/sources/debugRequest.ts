import type * as vscode from 'vscode';

/** A DAP request that did not answer in time. */
export class DebugRequestTimeout extends Error {
  override name = 'DebugRequestTimeout';
}

/**
 * `session.customRequest` with a deadline: a debug adapter that is busy, paused in a way we did
 * not expect, or gone never answers, and a view waiting forever is a frozen view.
 */
export function requestWithTimeout<T = unknown>(
  session: vscode.DebugSession,
  command: string,
  args: unknown,
  timeoutMs: number,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new DebugRequestTimeout(`The debugger did not answer “${command}” within ${timeoutMs / 1000} s.`),
        ),
      timeoutMs,
    );
    Promise.resolve(session.customRequest(command, args)).then(
      (value) => {
        clearTimeout(timer);
        resolve(value as T);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

// Reads the Async Tasks view through the extension's API: the same elements and items VS Code renders.
// Types only from src/: the objects come from the extension's own copy of the modules.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TasksViewApi } from '../../../src/tasks/registerTasksView';
import type { SessionRow } from '../../../src/tasks/rows/rowTypes';

export async function tasksApi(): Promise<TasksViewApi> {
  const extension = vscode.extensions.getExtension<{ tasks: TasksViewApi }>('async-toolkit.async-toolkit');
  assert.ok(extension, 'the extension is not loaded');
  return (await extension.activate()).tasks;
}

/** Resolves once `check` returns a value, re-checking after every change of the view. */
export function until<T>(
  api: TasksViewApi,
  check: () => T | undefined,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const value = check();
      if (value === undefined) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(value);
    };
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const listener = api.onDidChange(attempt);
    attempt();
  });
}

/** The row of one debug session. */
export function sessionElement(api: TasksViewApi, sessionId: string): SessionRow | undefined {
  return api
    .getChildren()
    .find((element): element is SessionRow => element.kind === 'session' && element.session.id === sessionId);
}

/** Waits until the session's row holds a snapshot that is not being retaken. */
export function snapshotRow(api: TasksViewApi, sessionId: string, what: string): Promise<SessionRow> {
  return until(
    api,
    () => {
      const found = sessionElement(api, sessionId);
      return found?.session.snapshot && !found.session.capturing ? found : undefined;
    },
    what,
  );
}

/**
 * After the program was continued: waits for the session's snapshot to go stale, then for a fresh one
 * taken after `previousTakenAt` (and accepted by `accept`, e.g. "paused again").
 */
export async function nextSnapshotRow(
  api: TasksViewApi,
  sessionId: string,
  previousTakenAt: number | undefined,
  what: string,
  options: { accept?: (element: SessionRow) => boolean; timeoutMs?: number } = {},
): Promise<SessionRow> {
  const { accept = () => true, timeoutMs } = options;
  await until(
    api,
    () => (sessionElement(api, sessionId)?.session.stale ? true : undefined),
    'a stale row',
    timeoutMs,
  );
  return until(
    api,
    () => {
      const found = sessionElement(api, sessionId);
      const snapshot = found?.session.snapshot;
      return snapshot && snapshot.takenAt !== previousTakenAt && !found.session.stale && accept(found)
        ? found
        : undefined;
    },
    what,
    timeoutMs,
  );
}

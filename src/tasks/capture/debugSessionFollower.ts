// Follows debug sessions: which start, stop, resume and end. Stops and resumes are seen through a
// debug adapter tracker, which observes the DAP traffic of every session without slowing it down.
// Each event goes to the session store (what the view shows) and the capture scheduler (when to
// take a snapshot).
import * as vscode from 'vscode';
import type { SnapshotSource } from '../sources/snapshotSource';
import type { SessionStore } from '../state/sessionStore';
import type { CaptureScheduler } from './captureScheduler';

/** Requests from VS Code after which the program runs again. */
const RESUMING_REQUESTS = new Set([
  'continue',
  'next',
  'stepIn',
  'stepOut',
  'stepBack',
  'reverseContinue',
  'goto',
]);

export function followDebugSessions(
  sources: readonly SnapshotSource[],
  store: SessionStore,
  scheduler: CaptureScheduler,
): vscode.Disposable {
  /** Sessions the view shows; a launcher that only holds child sessions is not one of them. */
  const track = (session: vscode.DebugSession): boolean => {
    if (store.get(session.id)) return true;
    const source = sources.find((candidate) => candidate.handles(session));
    if (source?.isContainer?.(session)) return false;
    store.add({
      id: session.id,
      name: session.name,
      parentId: session.parentSession?.id,
      debugType: session.type,
      sourceLabel: source?.label,
      capturesWhileRunning: source?.capturesWhileRunning ?? false,
    });
    if (source) scheduler.follow(session, source);
    return true;
  };
  const ended = (session: vscode.DebugSession) => {
    scheduler.ended(session.id);
    store.ended(session.id);
  };
  const resumed = (session: vscode.DebugSession) => store.resumed(session.id);

  const fromAdapter = (
    session: vscode.DebugSession,
    message: { type?: string; event?: string; body?: unknown },
  ) => {
    if (message.type !== 'event') return;
    if (message.event === 'stopped') {
      if (!track(session)) return;
      store.paused(session.id);
      scheduler.stopped(session.id, (message.body as { threadId?: number } | undefined)?.threadId);
    } else if (message.event === 'continued') {
      resumed(session);
    } else if (message.event === 'terminated' || message.event === 'exited') {
      ended(session);
    }
  };
  const toAdapter = (session: vscode.DebugSession, message: { type?: string; command?: string }) => {
    if (message.type === 'request' && message.command && RESUMING_REQUESTS.has(message.command))
      resumed(session);
  };

  const active = vscode.debug.activeDebugSession;
  if (active) track(active);
  return vscode.Disposable.from(
    vscode.debug.onDidStartDebugSession(track),
    vscode.debug.onDidTerminateDebugSession(ended),
    vscode.debug.registerDebugAdapterTrackerFactory('*', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (message) => fromAdapter(session, message),
        onWillReceiveMessage: (message) => toAdapter(session, message),
      }),
    }),
  );
}

import type * as vscode from 'vscode';
import type { Snapshot } from '../../snapshot/format';
import type { SnapshotRequest } from '../../snapshot/request';

/** Where the debuggee is when a snapshot is asked for. */
export interface CaptureContext {
  /** The thread the debug adapter reported as stopped, if the program is paused. */
  stoppedThreadId?: number;
  /** What to ask the runtime's `snapshot()` for; the runtime's defaults fill in the rest. */
  request: Partial<SnapshotRequest>;
  /** Give up after this long; sources put it on every custom request. */
  timeoutMs: number;
}

/**
 * One per runtime: turns a debug session into a Snapshot. The view knows nothing of where
 * snapshots come from, so adding a runtime is adding one implementation of this interface.
 */
export interface SnapshotSource {
  /** Shown in messages: "Node.js", "Python". */
  readonly label: string;
  /** Whether this source understands sessions of this debug type and configuration. */
  handles(session: vscode.DebugSession): boolean;
  /**
   * Optional: a session of this runtime that runs no program itself and only holds child sessions
   * (js-debug's launcher above each Node process). The view shows its children, not it.
   */
  isContainer?(session: vscode.DebugSession): boolean;
  /**
   * Optional, default false: snapshots work while the program runs (js-debug evaluates without a
   * paused frame; debugpy does not, so Python sessions are refreshed on stops only).
   */
  readonly capturesWhileRunning?: boolean;
  /** Collects a snapshot; rejects with an Error whose message a user can act on. */
  capture(session: vscode.DebugSession, context: CaptureContext): Promise<Snapshot>;
}

// What the view knows about each debug session: its status, its latest snapshot and the one before
// (for "Compare with Previous Snapshot"), whether that snapshot is stale, the last error, and tasks
// loaded later for groups the source sent in part. The one place that changes it; the capture
// scheduler and the session follower report events here, the rows read it. No `vscode` import.
import type { Snapshot, Task } from '../../snapshot/format';
import { ChangeSignal } from './changeSignal';

export type SessionStatus = 'running' | 'paused' | 'exited';

/** Earlier snapshots kept per session: enough to see a group grow three times in a row. */
const HISTORY_LENGTH = 3;

export interface SessionState {
  readonly id: string;
  /** The debug session's name: js-debug puts the process name and pid in it. */
  readonly name: string;
  readonly parentId?: string;
  readonly debugType: string;
  /** The source that understands this session ("Node.js", "Python"), if any does. */
  readonly sourceLabel?: string;
  /** False for a Python session: its debugger evaluates only while paused. */
  readonly capturesWhileRunning: boolean;
  status: SessionStatus;
  snapshot?: Snapshot;
  /** When the view received `snapshot`, in the extension host's clock. */
  receivedAt?: number;
  previous?: { snapshot: Snapshot; receivedAt: number };
  /** Earlier snapshots, oldest first, `previous` last: what "groups that keep growing" is judged on. */
  history: readonly { snapshot: Snapshot; receivedAt: number }[];
  /** The program ran after `snapshot` was taken. */
  stale: boolean;
  capturing: boolean;
  /** Why the last capture failed, in words for the user. */
  error?: string;
  /** Tasks fetched later for a source group, by the source's group id. */
  extraTasks: ReadonlyMap<string, readonly Task[]>;
}

export type NewSession = Pick<
  SessionState,
  'id' | 'name' | 'parentId' | 'debugType' | 'sourceLabel' | 'capturesWhileRunning'
>;

interface SessionRecord extends SessionState {
  /** Counts resumes: a snapshot belongs to the pause (or run) it was taken in. */
  runGeneration: number;
  /** The run generation `snapshot` was taken in. */
  snapshotGeneration?: number;
}

/** Which pause or run a capture belongs to, handed back with its result. */
export interface CaptureTicket {
  sessionId: string;
  generation: number;
  whileRunning: boolean;
}

export class SessionStore {
  private readonly records = new Map<string, SessionRecord>();
  private readonly signal = new ChangeSignal();
  /** Fires whenever a session, its status or its snapshot changes. */
  readonly onDidChange = this.signal.event;

  sessions(): readonly SessionState[] {
    return [...this.records.values()];
  }

  get(sessionId: string): SessionState | undefined {
    return this.records.get(sessionId);
  }

  /** A session starts. A new program replaces the programs that already exited. */
  add(session: NewSession): SessionState {
    const known = this.records.get(session.id);
    if (known) return known;
    if (!session.parentId) {
      for (const [id, record] of this.records) if (record.status === 'exited') this.records.delete(id);
    }
    const record: SessionRecord = {
      ...session,
      history: [],
      status: 'running',
      stale: false,
      capturing: false,
      extraTasks: new Map(),
      runGeneration: 0,
    };
    this.records.set(session.id, record);
    this.signal.fire();
    return record;
  }

  paused(sessionId: string): void {
    const record = this.records.get(sessionId);
    if (!record || record.status === 'exited') return;
    record.status = 'paused';
    this.signal.fire();
  }

  resumed(sessionId: string): void {
    const record = this.records.get(sessionId);
    if (record?.status !== 'paused') return;
    record.status = 'running';
    record.runGeneration += 1;
    record.stale = record.snapshot !== undefined;
    this.signal.fire();
  }

  ended(sessionId: string): void {
    const record = this.records.get(sessionId);
    if (!record || record.status === 'exited') return;
    record.status = 'exited';
    record.stale = record.snapshot !== undefined;
    record.capturing = false;
    this.signal.fire();
  }

  /** A capture begins; the ticket says which pause or run its result belongs to. */
  captureStarted(sessionId: string): CaptureTicket | undefined {
    const record = this.records.get(sessionId);
    if (!record || record.status === 'exited') return undefined;
    record.capturing = true;
    this.signal.fire();
    return { sessionId, generation: record.runGeneration, whileRunning: record.status === 'running' };
  }

  captured(ticket: CaptureTicket, snapshot: Snapshot, receivedAt: number): void {
    const record = this.records.get(ticket.sessionId);
    if (!record || record.status === 'exited') return;
    // "Compare with previous" answers "what grew since the program last ran": a retake in the same
    // pause (after a filter change) replaces the snapshot without becoming its own previous.
    const samePause = !ticket.whileRunning && record.snapshotGeneration === ticket.generation;
    if (record.snapshot && record.receivedAt !== undefined && !samePause) {
      record.previous = { snapshot: record.snapshot, receivedAt: record.receivedAt };
      record.history = [...record.history, record.previous].slice(-HISTORY_LENGTH);
    }
    record.snapshot = snapshot;
    record.snapshotGeneration = ticket.generation;
    record.receivedAt = receivedAt;
    // The program may have resumed while the snapshot travelled: then it is already history.
    record.stale = record.runGeneration !== ticket.generation;
    record.error = undefined;
    record.extraTasks = new Map();
    record.capturing = false;
    this.signal.fire();
  }

  captureFailed(ticket: CaptureTicket, message: string): void {
    const record = this.records.get(ticket.sessionId);
    if (!record || record.status === 'exited') return;
    record.error = message;
    record.capturing = false;
    this.signal.fire();
  }

  /** More tasks of a source group arrived; they follow those already at hand. */
  moreTasksLoaded(sessionId: string, sourceGroupId: string, tasks: readonly Task[]): void {
    const record = this.records.get(sessionId);
    if (!record) return;
    const extra = new Map(record.extraTasks);
    extra.set(sourceGroupId, [...(extra.get(sourceGroupId) ?? []), ...tasks]);
    record.extraTasks = extra;
    this.signal.fire();
  }

  moreTasksFailed(sessionId: string, message: string): void {
    const record = this.records.get(sessionId);
    if (!record) return;
    record.error = message;
    this.signal.fire();
  }

  dispose(): void {
    this.signal.dispose();
  }
}

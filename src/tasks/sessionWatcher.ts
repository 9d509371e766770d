// Follows debug sessions and decides when to take snapshots: on every stop (breakpoint, step,
// exception), on demand, and — for sources that can, with `asyncToolkit.refreshWhileRunning` — on a
// timer while the view is visible and the program runs. It sees stops and resumes through a debug
// adapter tracker, which observes the DAP traffic of every session without slowing it down.
import * as vscode from 'vscode';
import type { Task } from '../snapshot/format';
import type { SnapshotSource } from './sources/snapshotSource';
import type { TasksSettings } from './tasksSettings';
import type { SessionView } from './taskTreeModel';

interface WatchedSession extends SessionView {
  session: vscode.DebugSession;
  source?: SnapshotSource;
  stoppedThreadId?: number;
  inFlight?: Promise<void>;
  /** A stop or refresh arrived while a capture was in flight: take another when it ends. */
  again: boolean;
  stopTimer?: NodeJS.Timeout;
  /** Counts resumes: a snapshot belongs to the pause (or run) it was taken in. */
  runGeneration: number;
  /** The run generation `snapshot` was taken in. */
  snapshotGeneration?: number;
}

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

/** Steps come in bursts; snapshot the stop the user settles on, not each one. */
const STOP_SETTLE_MS = 120;

export interface SessionWatcherOptions {
  sources: readonly SnapshotSource[];
  settings: () => TasksSettings;
  /** Options the view adds to every capture (its filters). */
  captureOptions: () => Record<string, unknown>;
  log: vscode.LogOutputChannel;
}

export class SessionWatcher implements vscode.Disposable {
  private readonly records = new Map<string, WatchedSession>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  private runningTimer?: NodeJS.Timeout;
  private viewVisible = false;
  /** Fires whenever a session, its state or its snapshot changes. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly options: SessionWatcherOptions) {
    this.disposables.push(
      this.changed,
      vscode.debug.onDidStartDebugSession((session) => this.track(session)),
      vscode.debug.onDidTerminateDebugSession((session) => this.ended(session)),
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (message) => this.fromAdapter(session, message),
          onWillReceiveMessage: (message) => this.toAdapter(session, message),
        }),
      }),
    );
    for (const session of [vscode.debug.activeDebugSession].filter((s): s is vscode.DebugSession => !!s)) {
      this.track(session);
    }
  }

  dispose(): void {
    clearInterval(this.runningTimer);
    for (const record of this.records.values()) clearTimeout(record.stopTimer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  sessions(): readonly SessionView[] {
    return [...this.records.values()];
  }

  /** Takes a snapshot of every session that can give one now (or of one session). */
  async refresh(sessionId?: string): Promise<void> {
    const targets = [...this.records.values()].filter(
      (record) =>
        (!sessionId || record.id === sessionId) &&
        record.source &&
        record.status !== 'exited' &&
        (record.status === 'paused' || record.capturesWhileRunning),
    );
    await Promise.all(targets.map((record) => this.capture(record)));
  }

  /** Fetches more tasks of a group the source sent only in part. */
  async fetchMore(sessionId: string, sourceGroupId: string, offset: number): Promise<void> {
    const record = this.records.get(sessionId);
    if (!record?.source || record.status === 'exited') return;
    const settings = this.options.settings();
    try {
      const part = await record.source.capture(record.session, {
        stoppedThreadId: record.stoppedThreadId,
        timeoutMs: settings.snapshotTimeoutSeconds * 1000,
        options: {
          ...this.options.captureOptions(),
          group: sourceGroupId,
          offset,
          limit: settings.maxTasksPerGroup,
        },
      });
      const wanted = part.groups?.find((group) => group.id === sourceGroupId)?.taskIds;
      const byId = new Map(part.tasks.map((task) => [task.id, task]));
      const tasks: Task[] = wanted ? wanted.flatMap((id) => byId.get(id) ?? []) : part.tasks;
      record.extraTasks.set(sourceGroupId, [...(record.extraTasks.get(sourceGroupId) ?? []), ...tasks]);
    } catch (error) {
      record.error = `Could not load more tasks: ${(error as Error).message}`;
      this.options.log.error(
        `Async Tasks: loading more of group ${sourceGroupId} in “${record.name}”: ${error}`,
      );
    }
    this.changed.fire();
  }

  /** The view tells whether it is visible: timed refreshes only run while someone looks. */
  setViewVisible(visible: boolean): void {
    this.viewVisible = visible;
    this.updateRunningTimer();
  }

  /** Settings changed: restart the timer with the new interval. */
  settingsChanged(): void {
    this.updateRunningTimer();
  }

  private updateRunningTimer(): void {
    clearInterval(this.runningTimer);
    this.runningTimer = undefined;
    const settings = this.options.settings();
    if (!settings.refreshWhileRunning || !this.viewVisible) return;
    this.runningTimer = setInterval(() => {
      for (const record of this.records.values()) {
        if (record.status === 'running' && record.capturesWhileRunning && !record.inFlight)
          void this.capture(record);
      }
    }, settings.refreshIntervalSeconds * 1000);
  }

  private track(session: vscode.DebugSession): WatchedSession | undefined {
    const known = this.records.get(session.id);
    if (known) return known;
    // A new program replaces the programs that already exited (the user keeps only what runs, plus
    // the last snapshot of what ended until something new starts).
    if (!session.parentSession) {
      for (const [id, record] of this.records) if (record.status === 'exited') this.records.delete(id);
    }
    const source = this.options.sources.find((candidate) => candidate.handles(session));
    if (source?.isContainer?.(session)) return undefined;
    const record: WatchedSession = {
      id: session.id,
      name: session.name,
      parentId: session.parentSession?.id,
      debugType: session.type,
      sourceLabel: source?.label,
      capturesWhileRunning: source?.capturesWhileRunning ?? false,
      status: 'running',
      stale: false,
      capturing: false,
      extraTasks: new Map(),
      session,
      source,
      again: false,
      runGeneration: 0,
    };
    this.records.set(session.id, record);
    this.changed.fire();
    return record;
  }

  private ended(session: vscode.DebugSession): void {
    const record = this.records.get(session.id);
    if (!record) return;
    clearTimeout(record.stopTimer);
    record.status = 'exited';
    record.stale = record.snapshot !== undefined;
    record.capturing = false;
    this.changed.fire();
  }

  private fromAdapter(
    session: vscode.DebugSession,
    message: { type?: string; event?: string; body?: unknown },
  ): void {
    if (message.type !== 'event') return;
    if (message.event === 'stopped') {
      const record = this.track(session);
      if (!record) return;
      const body = message.body as { threadId?: number } | undefined;
      record.status = 'paused';
      record.stoppedThreadId = body?.threadId;
      clearTimeout(record.stopTimer);
      record.stopTimer = setTimeout(() => {
        if (record.status === 'paused' && record.source) void this.capture(record);
      }, STOP_SETTLE_MS);
      this.changed.fire();
    } else if (message.event === 'continued') {
      this.resumed(session);
    } else if (message.event === 'terminated' || message.event === 'exited') {
      this.ended(session);
    }
  }

  private toAdapter(session: vscode.DebugSession, message: { type?: string; command?: string }): void {
    if (message.type === 'request' && message.command && RESUMING_REQUESTS.has(message.command))
      this.resumed(session);
  }

  private resumed(session: vscode.DebugSession): void {
    const record = this.records.get(session.id);
    if (!record || record.status === 'exited' || record.status === 'running') return;
    record.status = 'running';
    record.runGeneration += 1;
    record.stale = record.snapshot !== undefined;
    this.changed.fire();
  }

  private capture(record: WatchedSession): Promise<void> {
    if (record.inFlight) {
      record.again = true;
      return record.inFlight;
    }
    const source = record.source;
    if (!source) return Promise.resolve();
    record.capturing = true;
    this.changed.fire();
    const settings = this.options.settings();
    const generation = record.runGeneration;
    const tookWhileRunning = record.status === 'running';
    record.inFlight = (async () => {
      try {
        const snapshot = await source.capture(record.session, {
          stoppedThreadId: record.status === 'paused' ? record.stoppedThreadId : undefined,
          timeoutMs: settings.snapshotTimeoutSeconds * 1000,
          options: this.options.captureOptions(),
        });
        if (record.status === 'exited') return;
        // "Compare with previous" answers "what grew since the program last ran": a retake in the
        // same pause (after a filter change) replaces the snapshot without becoming its own previous.
        const samePause = !tookWhileRunning && record.snapshotGeneration === generation;
        if (record.snapshot && record.receivedAt !== undefined && !samePause) {
          record.previous = { snapshot: record.snapshot, receivedAt: record.receivedAt };
        }
        record.snapshot = snapshot;
        record.snapshotGeneration = generation;
        record.receivedAt = Date.now();
        // The program may have resumed while the snapshot travelled: then it is already history.
        record.stale = record.runGeneration !== generation;
        record.error = undefined;
        record.extraTasks = new Map();
      } catch (error) {
        if (record.status === 'exited') return;
        record.error = (error as Error).message || String(error);
        this.options.log.error(
          `Async Tasks: snapshot of “${record.name}” failed: ${(error as Error).stack ?? error}`,
        );
      } finally {
        record.capturing = false;
        record.inFlight = undefined;
        this.changed.fire();
      }
    })();
    return record.inFlight.then(() => {
      if (record.again) {
        record.again = false;
        return this.capture(record);
      }
    });
  }
}

// Decides when to take snapshots and takes them: once a stop has settled (breakpoint, step,
// exception), of the stopped session and of the program's other threads running beside it; on demand;
// and — for sources that can, with `asyncToolkit.refreshWhileRunning` — on a timer while the view is
// visible and the program runs. One capture per session at a time; a request
// that arrives meanwhile is served by one more capture when it ends. Results go to the session store.
import type * as vscode from 'vscode';
import type { Task } from '../../snapshot/format';
import type { SnapshotRequest } from '../../snapshot/request';
import type { SnapshotSource } from '../sources/snapshotSource';
import type { SessionStore } from '../state/sessionStore';
import type { ViewOptionsStore } from '../state/viewOptions';
import type { TasksSettings } from '../tasksSettings';

/** Steps come in bursts; snapshot the stop the user settles on, not each one. */
const STOP_SETTLE_MS = 120;

interface Followed {
  session: vscode.DebugSession;
  source: SnapshotSource;
  stoppedThreadId?: number;
  inFlight?: Promise<void>;
  /** A stop or refresh arrived while a capture was in flight: take another when it ends. */
  again: boolean;
  stopTimer?: ReturnType<typeof setTimeout>;
}

export interface CaptureSchedulerOptions {
  store: SessionStore;
  viewOptions: ViewOptionsStore;
  settings: () => TasksSettings;
  log: vscode.LogOutputChannel;
}

/**
 * What every capture asks for: the source applies internals and age itself, so its counts are right.
 * The parent tree is drawn from the parts (Node's promises and resources, grouped by type); the grouped
 * view from what the runtime knows best (Node's operations).
 */
export function captureRequest(
  viewOptions: ViewOptionsStore,
  settings: TasksSettings,
): Partial<SnapshotRequest> {
  const { filter, mode } = viewOptions.current;
  return {
    groupBy: mode === 'tree' ? 'type' : 'default',
    includeInternals: !filter.hideInternals,
    minAgeMs: filter.minAgeMs,
    maxTasksPerGroup: settings.maxTasksPerGroup,
  };
}

export class CaptureScheduler {
  private readonly followed = new Map<string, Followed>();
  private runningTimer?: ReturnType<typeof setInterval>;
  private viewVisible = false;

  constructor(private readonly options: CaptureSchedulerOptions) {}

  dispose(): void {
    clearInterval(this.runningTimer);
    for (const entry of this.followed.values()) clearTimeout(entry.stopTimer);
    this.followed.clear();
  }

  /** Snapshots of this session come from this source. */
  follow(session: vscode.DebugSession, source: SnapshotSource): void {
    if (!this.followed.has(session.id)) this.followed.set(session.id, { session, source, again: false });
  }

  /** The program stopped: take a snapshot once the stops settle. */
  stopped(sessionId: string, threadId: number | undefined): void {
    const entry = this.followed.get(sessionId);
    if (!entry) return;
    entry.stoppedThreadId = threadId;
    clearTimeout(entry.stopTimer);
    entry.stopTimer = setTimeout(() => {
      if (this.options.store.get(sessionId)?.status !== 'paused') return;
      void this.capture(sessionId);
      for (const id of this.runningThreadsBeside(sessionId)) void this.capture(id);
    }, STOP_SETTLE_MS);
  }

  /**
   * The program's other threads, running while one of them is stopped. js-debug gives each worker
   * thread a session under its main thread's (a program's own launch session holds no tasks and is not
   * followed), and pausing one thread leaves the others running; what a worker has pending is often why
   * the main thread waits (a call waiting for the worker's reply), so those whose source can capture a
   * running program are captured at the same stop.
   */
  private runningThreadsBeside(sessionId: string): string[] {
    const { store } = this.options;
    const parentId = store.get(sessionId)?.parentId;
    const mainThread = parentId !== undefined && this.followed.has(parentId) ? parentId : sessionId;
    return [...this.followed.keys()].filter((id) => {
      if (id === sessionId) return false;
      const state = store.get(id);
      if (state?.status !== 'running' || !state.capturesWhileRunning) return false;
      return id === mainThread || state.parentId === mainThread;
    });
  }

  ended(sessionId: string): void {
    const entry = this.followed.get(sessionId);
    if (entry) clearTimeout(entry.stopTimer);
    this.followed.delete(sessionId);
  }

  /** Takes a snapshot of every session that can give one now (or of one session), and waits for it. */
  async refresh(sessionId?: string): Promise<void> {
    const targets = [...this.followed.keys()].filter((id) => {
      const state = this.options.store.get(id);
      return (
        (!sessionId || id === sessionId) &&
        state !== undefined &&
        (state.status === 'paused' || (state.status === 'running' && state.capturesWhileRunning))
      );
    });
    await Promise.all(targets.map((id) => this.capture(id)));
  }

  /** Fetches the next tasks of a group the source sent only in part. */
  async fetchMore(sessionId: string, sourceGroupId: string, offset: number): Promise<void> {
    const entry = this.followed.get(sessionId);
    const state = this.options.store.get(sessionId);
    if (!entry || !state || state.status === 'exited') return;
    const settings = this.options.settings();
    const request = captureRequest(this.options.viewOptions, settings);
    try {
      const part = await entry.source.capture(entry.session, {
        stoppedThreadId: state.status === 'paused' ? entry.stoppedThreadId : undefined,
        timeoutMs: settings.snapshotTimeoutSeconds * 1000,
        request: { ...request, group: sourceGroupId, offset, limit: request.maxTasksPerGroup },
      });
      const wanted = part.groups?.find((group) => group.id === sourceGroupId)?.taskIds;
      const byId = new Map(part.tasks.map((task) => [task.id, task]));
      const tasks: Task[] = wanted ? wanted.flatMap((id) => byId.get(id) ?? []) : part.tasks;
      this.options.store.moreTasksLoaded(sessionId, sourceGroupId, tasks);
    } catch (error) {
      this.options.log.error(
        `Async Tasks: loading more of group ${sourceGroupId} in “${state.name}”: ${error}`,
      );
      this.options.store.moreTasksFailed(sessionId, `Could not load more tasks: ${(error as Error).message}`);
    }
  }

  /** Timed refreshes run only while someone looks at the view. */
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
      for (const [id, entry] of this.followed) {
        const state = this.options.store.get(id);
        if (state?.status === 'running' && state.capturesWhileRunning && !entry.inFlight)
          void this.capture(id);
      }
    }, settings.refreshIntervalSeconds * 1000);
  }

  private capture(sessionId: string): Promise<void> {
    const entry = this.followed.get(sessionId);
    if (!entry) return Promise.resolve();
    if (entry.inFlight) {
      entry.again = true;
      return entry.inFlight;
    }
    const { store, log } = this.options;
    const ticket = store.captureStarted(sessionId);
    if (!ticket) return Promise.resolve();
    const settings = this.options.settings();
    entry.inFlight = (async () => {
      try {
        const snapshot = await entry.source.capture(entry.session, {
          stoppedThreadId: ticket.whileRunning ? undefined : entry.stoppedThreadId,
          timeoutMs: settings.snapshotTimeoutSeconds * 1000,
          request: captureRequest(this.options.viewOptions, settings),
        });
        store.captured(ticket, snapshot, Date.now());
      } catch (error) {
        log.error(
          `Async Tasks: snapshot of “${entry.session.name}” failed: ${(error as Error).stack ?? error}`,
        );
        store.captureFailed(ticket, (error as Error).message || String(error));
      } finally {
        entry.inFlight = undefined;
      }
    })();
    return entry.inFlight.then(() => {
      if (entry.again) {
        entry.again = false;
        return this.capture(sessionId);
      }
    });
  }
}

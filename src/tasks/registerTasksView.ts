// Creates the Async Tasks view and wires its parts: the view options and session stores, the session
// follower and capture scheduler that fill the store, the rows built from both, the tree items, the
// commands, and the view's badge, description and context keys. Returns the API the integration
// tests (and any other extension) use to read the real tree.
import * as vscode from 'vscode';
import type { Finding, Snapshot } from '../snapshot/format';
import { CaptureScheduler } from './capture/captureScheduler';
import { followDebugSessions } from './capture/debugSessionFollower';
import { registerExportSnapshot } from './commands/exportSnapshot';
import { registerTaskRowCommands } from './commands/taskRowCommands';
import { registerViewCommands } from './commands/viewCommands';
import { ProblemsPanel } from './findings/problemsPanel';
import { STALE_SCHEME } from './items/itemLook';
import type { Row } from './rows/rowTypes';
import { TaskRows } from './rows/taskRows';
import type { SnapshotSource } from './sources/snapshotSource';
import { type SessionState, SessionStore } from './state/sessionStore';
import { ViewOptionsStore } from './state/viewOptions';
import { isNarrowing } from './taskFilter';
import { onTasksSettingsChanged, readTasksSettings, type TasksSettings } from './tasksSettings';
import { TaskTreeProvider } from './treeItems';
import { describeView, messages } from './wording/viewWords';

export const TASKS_VIEW_ID = 'asyncToolkit.tasks';
const PAGE_SIZE = 200;

export interface TasksViewApi {
  /** Takes a snapshot of every session that can give one, and waits for it. */
  refresh(): Promise<void>;
  sessions(): readonly SessionState[];
  getSnapshot(sessionId: string): Snapshot | undefined;
  /** Why the session's program is stuck: the runtime's findings and the view's, as the Problems rows show them. */
  findingsOf(sessionId: string): readonly Finding[] | undefined;
  getChildren(row?: Row): Row[];
  getTreeItem(row: Row): vscode.TreeItem;
  /** Selects and shows a row in the view. */
  reveal(row: Row): Promise<void>;
  /** Fires after each change of sessions, snapshots or view options. */
  onDidChange: vscode.Event<void>;
}

export function registerTasksView(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  sources: readonly SnapshotSource[],
  settings: () => TasksSettings = () => readTasksSettings(),
): TasksViewApi {
  const viewOptions = new ViewOptionsStore(context.workspaceState);
  const store = new SessionStore();
  const scheduler = new CaptureScheduler({ store, viewOptions, settings, log });
  const rows = new TaskRows(store, viewOptions, PAGE_SIZE, () => settings().stuckAfterSeconds * 1000);
  const provider = new TaskTreeProvider(rows);
  const treeView = vscode.window.createTreeView(TASKS_VIEW_ID, {
    treeDataProvider: provider,
    showCollapseAll: true,
  });
  const changed = new vscode.EventEmitter<void>();
  const problems = new ProblemsPanel();

  const render = () => {
    provider.refresh();
    let total = 0;
    let problemCount = 0;
    for (const session of store.sessions()) {
      total += rows.countOf(session);
      problemCount += rows.findingsOf(session)?.filter((finding) => finding.severity === 'error').length ?? 0;
    }
    // A deadlock or work that can never finish is what the badge should make a user look for; long
    // waits (an idle server's accept, a worker's empty queue) are listed under Problems without it.
    treeView.badge = problemCount
      ? { value: problemCount, tooltip: messages.problemsBadge(problemCount, total) }
      : total
        ? { value: total, tooltip: messages.badge(total) }
        : undefined;
    treeView.description = describeView(viewOptions.current);
    problems.update(
      store.sessions(),
      (session) => rows.findingsOf(session),
      settings().showProblemsWhilePaused,
    );
    changed.fire();
  };
  const setContextKeys = () => {
    const { mode, filter, compare } = viewOptions.current;
    const set = (key: string, value: unknown) =>
      void vscode.commands.executeCommand('setContext', key, value);
    set('asyncToolkit.tasks.mode', mode);
    set('asyncToolkit.tasks.showInternals', !filter.hideInternals);
    set('asyncToolkit.tasks.comparing', compare);
    set('asyncToolkit.tasks.filtered', isNarrowing(filter));
  };

  context.subscriptions.push(
    viewOptions,
    store,
    scheduler,
    rows,
    provider,
    treeView,
    changed,
    problems,
    followDebugSessions(sources, store, scheduler),
    vscode.window.registerFileDecorationProvider(provider),
    store.onDidChange(render),
    rows.onDidChange(render),
    viewOptions.onDidChange((change) => {
      setContextKeys();
      render();
      // Internals and age are applied by the sources: the snapshots must be retaken to count them.
      if (change.sourceFilterChanged) void scheduler.refresh();
    }),
    treeView.onDidChangeVisibility((event) => scheduler.setViewVisible(event.visible)),
    onTasksSettingsChanged(() => {
      scheduler.settingsChanged();
      render();
    }),
    registerViewCommands(viewOptions, store, scheduler),
    registerTaskRowCommands(scheduler, rows),
    registerExportSnapshot(store, log),
  );
  scheduler.setViewVisible(treeView.visible);
  setContextKeys();
  render();
  log.info(
    `Async Tasks view ready; sources: ${sources.map((source) => source.label).join(', ')}; stale rows use ${STALE_SCHEME}:`,
  );

  return {
    refresh: () => scheduler.refresh(),
    sessions: () => store.sessions(),
    getSnapshot: (sessionId) => store.get(sessionId)?.snapshot,
    findingsOf: (sessionId) => {
      const session = store.get(sessionId);
      return session && rows.findingsOf(session);
    },
    getChildren: (row) => provider.getChildren(row),
    getTreeItem: (row) => provider.getTreeItem(row),
    reveal: async (row) => {
      await treeView.reveal(row, { select: true, focus: true, expand: true });
    },
    onDidChange: changed.event,
  };
}

// Creates the Async Tasks view: the session watcher, the tree model and provider, the commands, and
// the view's badge, description and context keys. Returns the API the integration tests (and any
// other extension) use to read the real tree.
import * as vscode from 'vscode';
import type { Snapshot } from '../snapshot/format';
import { registerTaskCommands, type ViewState } from './commands';
import { SessionWatcher } from './sessionWatcher';
import type { SnapshotSource } from './sources/snapshotSource';
import { DEFAULT_FILTER, isNarrowing } from './taskFilter';
import { onTasksSettingsChanged, readTasksSettings, type TasksSettings } from './tasksSettings';
import { type SessionView, type TaskTreeElement, TaskTreeModel } from './taskTreeModel';
import { STALE_SCHEME, TaskTreeProvider } from './taskTreeProvider';

export const TASKS_VIEW_ID = 'asyncToolkit.tasks';
const VIEW_STATE_KEY = 'asyncToolkit.tasks.viewState';
const PAGE_SIZE = 200;

export interface TasksViewApi {
  /** Takes a snapshot of every session that can give one, and waits for it. */
  refresh(): Promise<void>;
  sessions(): readonly SessionView[];
  getSnapshot(sessionId: string): Snapshot | undefined;
  getChildren(element?: TaskTreeElement): TaskTreeElement[];
  getTreeItem(element: TaskTreeElement): vscode.TreeItem;
  /** Selects and shows an element in the view. */
  reveal(element: TaskTreeElement): Promise<void>;
  /** Fires after each change of sessions, snapshots or view options. */
  onDidChange: vscode.Event<void>;
}

export function registerTasksView(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  sources: readonly SnapshotSource[],
  settings: () => TasksSettings = () => readTasksSettings(),
): TasksViewApi {
  const saved = context.workspaceState.get<Partial<ViewState>>(VIEW_STATE_KEY);
  let compare = false;
  const model: TaskTreeModel = new TaskTreeModel((): readonly SessionView[] => watcher.sessions(), {
    mode: saved?.mode === 'tree' ? 'tree' : 'grouped',
    filter: { ...DEFAULT_FILTER, ...saved?.filter },
    compare,
    pageSize: PAGE_SIZE,
  });
  const watcher: SessionWatcher = new SessionWatcher({
    sources,
    settings,
    log,
    // The agent aggregates with the view's filters, so the counts of groups it truncates are right.
    captureOptions: (): Record<string, unknown> => ({
      includeInternals: !model.options.filter.hideInternals,
      minAgeMs: model.options.filter.minAgeMs,
    }),
  });
  const provider = new TaskTreeProvider(model);
  const treeView = vscode.window.createTreeView(TASKS_VIEW_ID, {
    treeDataProvider: provider,
    showCollapseAll: true,
  });
  const changed = new vscode.EventEmitter<void>();

  const render = () => {
    provider.refresh();
    let total = 0;
    for (const session of watcher.sessions()) total += model.countOf(session);
    treeView.badge = total ? { value: total, tooltip: `${total} async tasks` } : undefined;
    treeView.description = provider.viewDescription();
    changed.fire();
  };

  const applyViewState = (state: Partial<ViewState> & { compare?: boolean }) => {
    const filterChanged =
      state.filter && JSON.stringify(state.filter) !== JSON.stringify(model.options.filter);
    if (state.mode) model.options.mode = state.mode;
    if (state.filter) model.options.filter = state.filter;
    if (state.compare !== undefined) compare = state.compare;
    model.options.compare = compare;
    void vscode.commands.executeCommand('setContext', 'asyncToolkit.tasks.mode', model.options.mode);
    void vscode.commands.executeCommand(
      'setContext',
      'asyncToolkit.tasks.showInternals',
      !model.options.filter.hideInternals,
    );
    void vscode.commands.executeCommand('setContext', 'asyncToolkit.tasks.comparing', compare);
    void vscode.commands.executeCommand(
      'setContext',
      'asyncToolkit.tasks.filtered',
      isNarrowing(model.options.filter),
    );
    void context.workspaceState.update(VIEW_STATE_KEY, {
      mode: model.options.mode,
      filter: model.options.filter,
    });
    render();
    // Internals and age are applied by the agent too: the snapshot must be retaken to count them.
    if (filterChanged) void watcher.refresh();
  };

  context.subscriptions.push(
    watcher,
    provider,
    treeView,
    changed,
    vscode.window.registerFileDecorationProvider(provider),
    watcher.onDidChange(render),
    treeView.onDidChangeVisibility((event) => watcher.setViewVisible(event.visible)),
    onTasksSettingsChanged(() => watcher.settingsChanged()),
    registerTaskCommands({ watcher, model, applyViewState, log }),
  );
  watcher.setViewVisible(treeView.visible);
  applyViewState({});
  log.info(
    `Async Tasks view ready; sources: ${sources.map((source) => source.label).join(', ')}; stale rows use ${STALE_SCHEME}:`,
  );

  return {
    refresh: () => watcher.refresh(),
    sessions: () => watcher.sessions(),
    getSnapshot: (sessionId) => watcher.sessions().find((session) => session.id === sessionId)?.snapshot,
    getChildren: (element) => provider.getChildren(element),
    getTreeItem: (element) => provider.getTreeItem(element),
    reveal: async (element) => {
      await treeView.reveal(element, { select: true, focus: true, expand: true });
    },
    onDidChange: changed.event,
  };
}

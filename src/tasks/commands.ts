// The Async Tasks view's commands: refresh, parent tree ⇄ groups, filters, compare, export, copy
// stack, open a creation site, show more. Each is declared in package.json with a title, the
// "Async Toolkit" category and, where it shows in the view, a codicon.
import * as vscode from 'vscode';
import type { Snapshot, SourceLocation } from '../snapshot/format';
import type { SessionWatcher } from './sessionWatcher';
import { DEFAULT_FILTER, parseDuration, type TaskFilter } from './taskFilter';
import { formatStack } from './taskLabels';
import { taskLocation } from './taskLocation';
import type { TaskTreeElement, TaskTreeModel, ViewMode } from './taskTreeModel';

/** What the view remembers per workspace. */
export interface ViewState {
  mode: ViewMode;
  filter: TaskFilter;
}

export interface TaskCommandsContext {
  watcher: SessionWatcher;
  model: TaskTreeModel;
  /** Applies a new view state: re-renders, updates context keys, remembers it. */
  applyViewState(state: Partial<ViewState> & { compare?: boolean }): void;
  log: vscode.LogOutputChannel;
}

/** Opens a file at a 1-based line and column; explains when the place is not a file (Node internals). */
export async function openSourceLocation(
  site: SourceLocation,
  preserveFocus: boolean,
): Promise<vscode.TextEditor | undefined> {
  if (site.file.startsWith('node:')) {
    void vscode.window.showInformationMessage(
      `${site.file}:${site.line} is inside Node.js itself; there is no file to open.`,
    );
    return undefined;
  }
  const uri = /^[a-z][a-z0-9+.-]+:\/\//i.test(site.file)
    ? vscode.Uri.parse(site.file)
    : vscode.Uri.file(site.file);
  const position = new vscode.Position(Math.max(0, site.line - 1), Math.max(0, (site.column ?? 1) - 1));
  try {
    return await vscode.window.showTextDocument(uri, {
      selection: new vscode.Range(position, position),
      preserveFocus,
      preview: true,
    });
  } catch (error) {
    void vscode.window.showWarningMessage(`Cannot open ${site.file}: ${(error as Error).message}`);
    return undefined;
  }
}

function siteOf(element: TaskTreeElement | undefined): SourceLocation | undefined {
  if (!element) return undefined;
  if (element.kind === 'task') return taskLocation(element.task)?.location;
  if (element.kind === 'group')
    return (
      element.group.site ?? element.group.tasks.map((task) => taskLocation(task)?.location).find(Boolean)
    );
  if (element.kind === 'handle') return element.handle.site;
  return undefined;
}

/** The snapshot an element belongs to, or the only/first session's. */
function snapshotFor(context: TaskCommandsContext, element?: TaskTreeElement): Snapshot | undefined {
  const sessions = context.watcher.sessions();
  const session = element
    ? sessions.find((candidate) => candidate.id === element.sessionId)
    : sessions.find((s) => s.snapshot);
  return session?.snapshot;
}

export function registerTaskCommands(context: TaskCommandsContext): vscode.Disposable {
  const { watcher, model } = context;
  const filter = () => model.options.filter;
  const register = (id: string, run: (...args: never[]) => unknown) =>
    vscode.commands.registerCommand(id, run);

  return vscode.Disposable.from(
    register('asyncToolkit.refreshTasks', () => watcher.refresh()),
    register('asyncToolkit.showTaskTree', () => context.applyViewState({ mode: 'tree' })),
    register('asyncToolkit.showTaskGroups', () => context.applyViewState({ mode: 'grouped' })),
    register('asyncToolkit.showInternalTasks', () =>
      context.applyViewState({ filter: { ...filter(), hideInternals: false } }),
    ),
    register('asyncToolkit.hideInternalTasks', () =>
      context.applyViewState({ filter: { ...filter(), hideInternals: true } }),
    ),
    register('asyncToolkit.clearTaskFilter', () =>
      context.applyViewState({ filter: { ...DEFAULT_FILTER, hideInternals: filter().hideInternals } }),
    ),
    register('asyncToolkit.compareTaskSnapshots', () => context.applyViewState({ compare: true })),
    register('asyncToolkit.stopComparingTaskSnapshots', () => context.applyViewState({ compare: false })),

    register('asyncToolkit.filterTasks', async (text?: string) => {
      const value =
        typeof text === 'string'
          ? text
          : await vscode.window.showInputBox({
              title: 'Filter Async Tasks',
              prompt:
                'Show tasks whose function, file, type or awaited thing contains this text (empty shows all)',
              value: filter().text,
            });
      if (value !== undefined) context.applyViewState({ filter: { ...filter(), text: value } });
    }),

    register('asyncToolkit.filterTaskTypes', async (types?: string[]) => {
      let chosen = Array.isArray(types) ? types : undefined;
      if (!chosen) {
        const present = new Set<string>();
        for (const session of watcher.sessions())
          for (const task of session.snapshot?.tasks ?? []) present.add(task.type);
        for (const type of filter().types) present.add(type);
        if (present.size === 0) {
          void vscode.window.showInformationMessage(
            'No snapshot yet: pause a program to see its task types.',
          );
          return;
        }
        const picks = await vscode.window.showQuickPick(
          [...present].sort().map((type) => ({ label: type, picked: filter().types.includes(type) })),
          {
            title: 'Show Only These Task Types',
            canPickMany: true,
            placeHolder: 'None picked shows every type',
          },
        );
        if (!picks) return;
        chosen = picks.map((pick) => pick.label);
      }
      context.applyViewState({ filter: { ...filter(), types: chosen } });
    }),

    register('asyncToolkit.setMinimumTaskAge', async (value?: string) => {
      const text =
        typeof value === 'string'
          ? value
          : await vscode.window.showInputBox({
              title: 'Minimum Task Age',
              prompt: 'Show only tasks at least this old: 500ms, 5s, 2m (empty shows all)',
              value: filter().minAgeMs ? `${filter().minAgeMs}ms` : '',
              validateInput: (input) =>
                parseDuration(input) === undefined ? 'Write a duration such as 500ms, 5s or 2m' : undefined,
            });
      if (text === undefined) return;
      const minAgeMs = parseDuration(text);
      if (minAgeMs === undefined) throw new Error(`“${text}” is not a duration (try 500ms, 5s or 2m).`);
      context.applyViewState({ filter: { ...filter(), minAgeMs } });
    }),

    register('asyncToolkit.openTaskSite', async (element?: TaskTreeElement) => {
      const site = siteOf(element);
      if (!site) {
        void vscode.window.showInformationMessage(
          'Where this task was created or is suspended is not known.',
        );
        return undefined;
      }
      return openSourceLocation(site, true);
    }),

    register('asyncToolkit.copyTaskStack', async (element?: TaskTreeElement) => {
      if (element?.kind !== 'task') return;
      const text = formatStack(element.task);
      await vscode.env.clipboard.writeText(text);
      return text;
    }),

    register('asyncToolkit.showMoreTasks', async (element?: TaskTreeElement) => {
      if (element?.kind !== 'more') return;
      if (element.fetch)
        await watcher.fetchMore(element.sessionId, element.fetch.sourceGroupId, element.fetch.offset);
      else {
        model.showMore(element.listId);
        context.applyViewState({});
      }
    }),

    register('asyncToolkit.exportTaskSnapshot', async (element?: TaskTreeElement, target?: vscode.Uri) => {
      const snapshot = snapshotFor(context, element);
      if (!snapshot) {
        void vscode.window.showInformationMessage(
          'No snapshot to export yet: pause a program or press Refresh.',
        );
        return undefined;
      }
      const stamp = new Date(snapshot.takenAt).toISOString().replace(/[:.]/g, '-');
      const uri =
        target ??
        (await vscode.window.showSaveDialog({
          title: 'Export Async Tasks Snapshot',
          defaultUri: vscode.Uri.joinPath(
            vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd()),
            `async-tasks-${snapshot.pid}-${stamp}.json`,
          ),
          filters: { JSON: ['json'] },
        }));
      if (!uri) return undefined;
      // The save dialog asks before replacing a file; a target passed in (tests, other extensions) never replaces one.
      if (
        target &&
        (await vscode.workspace.fs.stat(target).then(
          () => true,
          () => false,
        ))
      ) {
        throw new Error(`${target.fsPath} already exists; not overwriting it.`);
      }
      await vscode.workspace.fs.writeFile(uri, Buffer.from(`${JSON.stringify(snapshot, null, 2)}\n`, 'utf8'));
      context.log.info(`Async Tasks: exported the snapshot of pid ${snapshot.pid} to ${uri.toString()}`);
      return uri;
    }),
  );
}

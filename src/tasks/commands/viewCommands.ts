// The view's own commands: refresh, parent tree ⇄ groups, filters, compare. Each changes the view
// options store (or asks for snapshots); the view follows the store. Each is declared in package.json
// with a title, the "Async Toolkit" category and, where it shows in the view, a codicon.
import * as vscode from 'vscode';
import type { CaptureScheduler } from '../capture/captureScheduler';
import type { SessionStore } from '../state/sessionStore';
import type { ViewOptionsStore } from '../state/viewOptions';
import { DEFAULT_FILTER, parseDuration, type TaskFilter } from '../taskFilter';

export function registerViewCommands(
  viewOptions: ViewOptionsStore,
  store: SessionStore,
  scheduler: CaptureScheduler,
): vscode.Disposable {
  const filter = () => viewOptions.current.filter;
  const setFilter = (change: Partial<TaskFilter>) =>
    viewOptions.update({ filter: { ...filter(), ...change } });
  const register = (id: string, run: (...args: never[]) => unknown) =>
    vscode.commands.registerCommand(id, run);

  return vscode.Disposable.from(
    register('asyncToolkit.refreshTasks', () => scheduler.refresh()),
    register('asyncToolkit.showTaskTree', () => viewOptions.update({ mode: 'tree' })),
    register('asyncToolkit.showTaskGroups', () => viewOptions.update({ mode: 'grouped' })),
    register('asyncToolkit.showInternalTasks', () => setFilter({ hideInternals: false })),
    register('asyncToolkit.hideInternalTasks', () => setFilter({ hideInternals: true })),
    register('asyncToolkit.clearTaskFilter', () =>
      viewOptions.update({ filter: { ...DEFAULT_FILTER, hideInternals: filter().hideInternals } }),
    ),
    register('asyncToolkit.compareTaskSnapshots', () => viewOptions.update({ compare: true })),
    register('asyncToolkit.stopComparingTaskSnapshots', () => viewOptions.update({ compare: false })),

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
      if (value !== undefined) setFilter({ text: value });
    }),

    register('asyncToolkit.filterTaskTypes', async (types?: string[]) => {
      let chosen = Array.isArray(types) ? types : undefined;
      if (!chosen) {
        const present = new Set<string>(filter().types);
        for (const session of store.sessions())
          for (const task of session.snapshot?.tasks ?? []) present.add(task.type);
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
      setFilter({ types: chosen });
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
      setFilter({ minAgeMs });
    }),
  );
}

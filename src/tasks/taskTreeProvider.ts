// Turns the tree model's elements into TreeItems. Knows nothing of where snapshots come from.
// Stale rows (the program ran since the snapshot) are greyed: a TreeItem has no label colour, but a
// FileDecorationProvider colours the label of any row with a `resourceUri`, so stale rows carry one
// in our own URI scheme.
import * as vscode from 'vscode';
import type { Task, TaskState } from '../snapshot/format';
import { describeChange } from './diff';
import { describeFilter } from './taskFilter';
import {
  describeStates,
  describeTask,
  formatAge,
  handleLabel,
  siteText,
  taskLabel,
  taskTooltipMarkdown,
} from './taskLabels';
import { taskLocation } from './taskLocation';
import {
  formatClock,
  type GroupElement,
  type MessageElement,
  type SessionElement,
  type TaskElement,
  type TaskTreeElement,
  type TaskTreeModel,
} from './taskTreeModel';

export const STALE_SCHEME = 'async-toolkit-stale';
export const OPEN_SITE_COMMAND = 'asyncToolkit.openTaskSite';

const STATE_ICONS: Record<TaskState, [string, string | undefined]> = {
  pending: ['clock', 'charts.yellow'],
  running: ['play-circle', 'charts.green'],
  resolved: ['pass', 'charts.green'],
  rejected: ['error', 'charts.red'],
  done: ['check', 'charts.green'],
  cancelled: ['circle-slash', 'charts.orange'],
  destroyed: ['trash', undefined],
};

const GROUP_ICONS: Record<GroupElement['group']['kind'], string> = {
  site: 'symbol-function',
  awaiting: 'watch',
  coroutine: 'symbol-method',
  type: 'symbol-class',
};

function icon(id: string, color: string | undefined, stale: boolean): vscode.ThemeIcon {
  const themeColor = stale ? 'disabledForeground' : color;
  return new vscode.ThemeIcon(id, themeColor ? new vscode.ThemeColor(themeColor) : undefined);
}

function staleUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: STALE_SCHEME, path: `/${encodeURIComponent(id)}` });
}

export class TaskTreeProvider
  implements vscode.TreeDataProvider<TaskTreeElement>, vscode.FileDecorationProvider, vscode.Disposable
{
  private readonly changed = new vscode.EventEmitter<TaskTreeElement | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(readonly model: TaskTreeModel) {}

  dispose(): void {
    this.changed.dispose();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(element?: TaskTreeElement): TaskTreeElement[] {
    return this.model.children(element);
  }

  getParent(element: TaskTreeElement): TaskTreeElement | undefined {
    return element.parent;
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== STALE_SCHEME) return undefined;
    return { color: new vscode.ThemeColor('disabledForeground'), tooltip: 'From an earlier snapshot' };
  }

  getTreeItem(element: TaskTreeElement): vscode.TreeItem {
    switch (element.kind) {
      case 'session':
        return this.sessionItem(element);
      case 'message':
        return this.messageItem(element);
      case 'group':
        return this.groupItem(element);
      case 'task':
        return this.taskItem(element);
      case 'handles': {
        const item = new vscode.TreeItem(
          'Keeping the program alive',
          vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.id = element.id;
        item.description = `${element.handles.length}`;
        item.iconPath = new vscode.ThemeIcon('pulse');
        item.tooltip =
          'Active handles and requests: what stops the program from exiting (servers, sockets, ref’d timers, child processes).';
        return item;
      }
      case 'handle': {
        const handle = element.handle;
        const item = new vscode.TreeItem(handleLabel(handle));
        item.id = element.id;
        item.iconPath = new vscode.ThemeIcon('plug');
        const times = element.count > 1 ? `×${element.count}` : '';
        item.description = times || undefined;
        if (handle.site) {
          item.description = [times, siteText(handle.site)].filter(Boolean).join(' · ');
          item.command = { command: OPEN_SITE_COMMAND, title: 'Open Creation Site', arguments: [element] };
          item.contextValue = 'asyncTaskHandle.site';
        }
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(
          element.fetch
            ? `Load more from the program… (${element.remaining} not loaded)`
            : `Show ${element.remaining} more…`,
        );
        item.id = element.id;
        item.iconPath = new vscode.ThemeIcon(element.fetch ? 'cloud-download' : 'ellipsis');
        item.command = { command: 'asyncToolkit.showMoreTasks', title: 'Show More', arguments: [element] };
        return item;
      }
    }
  }

  private sessionItem(element: SessionElement): vscode.TreeItem {
    const session = element.session;
    const item = new vscode.TreeItem(session.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = element.id;
    const parts: string[] = [];
    if (session.snapshot) {
      parts.push(`${this.model.countOf(session)} tasks`);
      if (session.stale && session.receivedAt) parts.push(`as of ${formatClock(session.receivedAt)}`);
    }
    parts.push(session.status);
    item.description = parts.join(' · ');
    item.iconPath = new vscode.ThemeIcon(
      session.status === 'paused'
        ? 'debug-pause'
        : session.status === 'running'
          ? 'debug-start'
          : 'debug-stop',
    );
    item.contextValue = session.snapshot ? 'asyncTaskSession.snapshot' : 'asyncTaskSession';
    const tooltip = [`${session.name} (${session.debugType})`];
    if (session.snapshot) tooltip.push(`pid ${session.snapshot.pid}`);
    if (session.receivedAt) tooltip.push(`snapshot taken at ${formatClock(session.receivedAt)}`);
    item.tooltip = tooltip.join('\n');
    if (session.stale) item.resourceUri = staleUri(element.id);
    return item;
  }

  private messageItem(element: MessageElement): vscode.TreeItem {
    const item = new vscode.TreeItem(element.text);
    item.id = element.id;
    const icons = {
      info: ['info', undefined],
      warning: ['warning', 'list.warningForeground'],
      error: ['error', 'list.errorForeground'],
      progress: ['loading~spin', undefined],
    } as const;
    const [id, color] = icons[element.severity];
    item.iconPath = new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
    item.tooltip = element.detail ?? element.text;
    item.contextValue = `asyncTaskMessage.${element.severity}`;
    if (element.action) {
      item.command = {
        command: element.action.command,
        title: element.action.title,
        arguments: element.action.arguments,
      };
      item.description = element.action.title;
    }
    return item;
  }

  private groupItem(element: GroupElement): vscode.TreeItem {
    const group = element.group;
    // A group with no task at hand (the fallback's promise counts) has nothing to expand to.
    const expandable = group.tasks.length > 0;
    const item = new vscode.TreeItem(
      group.label,
      expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = element.id;
    let description = describeStates(group.states, group.count);
    if (group.approximate)
      description = `≈ ${description} (filter applied to the ${group.tasks.length} loaded)`;
    if (element.change !== undefined || this.model.options.compare) {
      const session = this.sessionOf(element);
      if (session?.previous)
        description += ` · ${describeChange(element.change, formatClock(session.previous.receivedAt))}`;
    }
    item.description = description;
    item.iconPath = icon(GROUP_ICONS[group.kind], undefined, element.stale);
    const tooltip = new vscode.MarkdownString(
      `**${group.label}**\n\n${describeStates(group.states, group.count)}`,
    );
    if (group.site) tooltip.appendMarkdown(`\n\n${group.site.file}:${group.site.line}`);
    item.tooltip = tooltip;
    if (group.site) {
      item.command = { command: OPEN_SITE_COMMAND, title: 'Open Creation Site', arguments: [element] };
      item.contextValue = 'asyncTaskGroup.site';
    } else {
      item.contextValue = 'asyncTaskGroup';
    }
    if (element.stale) item.resourceUri = staleUri(element.id);
    return item;
  }

  private taskItem(element: TaskElement): vscode.TreeItem {
    const task: Task = element.task;
    const item = new vscode.TreeItem(
      taskLabel(task),
      element.childCount > 0
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None,
    );
    item.id = element.id;
    item.description =
      element.childCount > 0 ? `${describeTask(task)} · ${element.childCount} children` : describeTask(task);
    const [iconId, color] = STATE_ICONS[task.state] ?? ['circle-outline', undefined];
    item.iconPath = icon(iconId, color, element.stale);
    const tooltip = new vscode.MarkdownString(taskTooltipMarkdown(task));
    tooltip.supportThemeIcons = false;
    item.tooltip = tooltip;
    const features = [task.site ? 'site' : '', task.stack?.length || task.site ? 'stack' : '']
      .filter(Boolean)
      .join('.');
    item.contextValue = features ? `asyncTask.${features}` : 'asyncTask';
    const target = taskLocation(task);
    if (target) {
      const title = target.kind === 'creation' ? 'Open Creation Site' : 'Open Where It Is Suspended';
      item.command = { command: OPEN_SITE_COMMAND, title, arguments: [element] };
    }
    if (element.stale) item.resourceUri = staleUri(element.id);
    if (task.ageMs !== undefined)
      item.accessibilityInformation = {
        label: `${taskLabel(task)}, ${task.state}, ${formatAge(task.ageMs)} old`,
      };
    return item;
  }

  private sessionOf(element: TaskTreeElement) {
    let current: TaskTreeElement | undefined = element;
    while (current && current.kind !== 'session') current = current.parent;
    return current?.session;
  }

  /** The view's description: what filters and modes are on. */
  viewDescription(): string | undefined {
    const parts: string[] = [];
    if (this.model.options.mode === 'tree') parts.push('parent tree');
    if (this.model.options.compare) parts.push('comparing');
    const filter = describeFilter(this.model.options.filter);
    if (filter) parts.push(filter);
    return parts.length ? parts.join(' · ') : undefined;
  }
}

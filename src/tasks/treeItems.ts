// Turns rows into TreeItems: the view's TreeDataProvider, and the one place that switches on a row's
// kind. Knows nothing of where snapshots come from; the words come from wording.ts.
// Stale rows (the program ran since the snapshot) are greyed: a TreeItem has no label colour, but a
// FileDecorationProvider colours the label of any row with a `resourceUri`, so stale rows carry one
// in our own URI scheme.
import * as vscode from 'vscode';
import type { GroupKind, TaskState } from '../snapshot/format';
import type {
  FindingRow,
  FindingsRow,
  FrameRow,
  GroupRow,
  HandleRow,
  MessageRow,
  MoreRow,
  Row,
  SessionRow,
  TaskRow,
} from './rows/rowTypes';
import type { TaskRows } from './rows/taskRows';
import { taskLocation } from './taskLocation';
import {
  describeFrame,
  describeTaskRow,
  formatClock,
  formatFrame,
  frameLabel,
  siteText,
  taskAccessibilityLabel,
  taskLabel,
  taskTooltipMarkdown,
} from './wording/taskWords';
import {
  describeFindings,
  describeGroupRow,
  describeSessionRow,
  FINDING_KIND_WORDS,
  findingsLabel,
  groupLabel,
  groupTooltipMarkdown,
  HANDLES_LABEL,
  HANDLES_TOOLTIP,
  handleLabel,
  messages,
  moreRowLabel,
  sessionLabel,
} from './wording/viewWords';

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

const GROUP_ICONS: Record<GroupKind, string> = {
  stack: 'debug-stackframe',
  site: 'symbol-function',
  awaiting: 'watch',
  coroutine: 'symbol-method',
  type: 'symbol-class',
};

const MESSAGE_ICONS: Record<MessageRow['severity'], [string, string | undefined]> = {
  info: ['info', undefined],
  warning: ['warning', 'list.warningForeground'],
  error: ['error', 'list.errorForeground'],
  progress: ['loading~spin', undefined],
};

function icon(id: string, color: string | undefined, stale = false): vscode.ThemeIcon {
  const themeColor = stale ? 'disabledForeground' : color;
  return new vscode.ThemeIcon(id, themeColor ? new vscode.ThemeColor(themeColor) : undefined);
}

function staleUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: STALE_SCHEME, path: `/${encodeURIComponent(id)}` });
}

function collapsible(row: Row, expanded = false): vscode.TreeItemCollapsibleState {
  if (!row.expand) return vscode.TreeItemCollapsibleState.None;
  return expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
}

export class TaskTreeProvider
  implements vscode.TreeDataProvider<Row>, vscode.FileDecorationProvider, vscode.Disposable
{
  private readonly changed = new vscode.EventEmitter<Row | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly rows: TaskRows) {}

  dispose(): void {
    this.changed.dispose();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(row?: Row): Row[] {
    return row ? (row.expand?.() ?? []) : this.rows.roots();
  }

  getParent(row: Row): Row | undefined {
    return row.parent;
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== STALE_SCHEME) return undefined;
    return { color: new vscode.ThemeColor('disabledForeground'), tooltip: messages.staleRow };
  }

  getTreeItem(row: Row): vscode.TreeItem {
    const item = this.itemOf(row);
    item.id = row.id;
    return item;
  }

  private itemOf(row: Row): vscode.TreeItem {
    switch (row.kind) {
      case 'session':
        return sessionItem(row);
      case 'message':
        return messageItem(row);
      case 'group':
        return groupItem(row);
      case 'task':
        return taskItem(row);
      case 'handles': {
        const item = new vscode.TreeItem(HANDLES_LABEL, collapsible(row));
        item.description = row.filtered
          ? `${row.handles.length}`
          : `${row.handles.length} · ${messages.handlesNotFiltered}`;
        item.iconPath = new vscode.ThemeIcon('pulse');
        item.tooltip = HANDLES_TOOLTIP;
        return item;
      }
      case 'handle':
        return handleItem(row);
      case 'more':
        return moreItem(row);
      case 'findings':
        return findingsItem(row);
      case 'finding':
        return findingItem(row);
      case 'frame':
        return frameItem(row);
    }
  }
}

function sessionItem(row: SessionRow): vscode.TreeItem {
  const { session } = row;
  const item = new vscode.TreeItem(sessionLabel(session.name), collapsible(row, true));
  item.description = describeSessionRow(
    session.status,
    row.taskCount,
    session.stale ? session.receivedAt : undefined,
  );
  const statusIcon =
    session.status === 'paused' ? 'debug-pause' : session.status === 'running' ? 'debug-start' : 'debug-stop';
  item.iconPath = new vscode.ThemeIcon(statusIcon);
  item.contextValue = session.snapshot ? 'asyncTaskSession.snapshot' : 'asyncTaskSession';
  const tooltip = [`${session.name} (${session.debugType})`];
  if (session.snapshot) tooltip.push(`pid ${session.snapshot.pid}`);
  if (session.receivedAt) tooltip.push(`snapshot taken at ${formatClock(session.receivedAt)}`);
  item.tooltip = tooltip.join('\n');
  if (session.stale) item.resourceUri = staleUri(row.id);
  return item;
}

function messageItem(row: MessageRow): vscode.TreeItem {
  const item = new vscode.TreeItem(row.text);
  const [id, color] = MESSAGE_ICONS[row.severity];
  item.iconPath = icon(id, color);
  item.tooltip = row.detail ?? row.text;
  item.contextValue = `asyncTaskMessage.${row.severity}`;
  if (row.action) {
    item.command = { command: row.action.command, title: row.action.title, arguments: row.action.arguments };
    item.description = row.action.title;
  }
  return item;
}

function groupItem(row: GroupRow): vscode.TreeItem {
  const { group } = row;
  const item = new vscode.TreeItem(groupLabel(group), collapsible(row));
  const comparison =
    row.comparedWith !== undefined ? { change: row.change, since: row.comparedWith } : undefined;
  item.description = describeGroupRow(group, comparison);
  item.iconPath = icon(GROUP_ICONS[group.kind], undefined, row.stale);
  item.tooltip = new vscode.MarkdownString(
    groupTooltipMarkdown(group.label, group.states, group.count, group.site),
  );
  if (group.site) {
    item.command = { command: OPEN_SITE_COMMAND, title: 'Open Creation Site', arguments: [row] };
    item.contextValue = 'asyncTaskGroup.site';
  } else {
    item.contextValue = 'asyncTaskGroup';
  }
  if (row.stale) item.resourceUri = staleUri(row.id);
  return item;
}

function taskItem(row: TaskRow): vscode.TreeItem {
  const { task } = row;
  const item = new vscode.TreeItem(taskLabel(task), collapsible(row));
  item.description = describeTaskRow(task, row.childCount);
  const [iconId, color] = STATE_ICONS[task.state] ?? ['circle-outline', undefined];
  item.iconPath = icon(iconId, color, row.stale);
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
    item.command = { command: OPEN_SITE_COMMAND, title, arguments: [row] };
  }
  if (row.stale) item.resourceUri = staleUri(row.id);
  const accessible = taskAccessibilityLabel(task);
  if (accessible) item.accessibilityInformation = { label: accessible };
  return item;
}

function handleItem(row: HandleRow): vscode.TreeItem {
  const { handle } = row;
  const item = new vscode.TreeItem(handleLabel(handle));
  item.iconPath = new vscode.ThemeIcon('plug');
  const times = row.count > 1 ? `×${row.count}` : '';
  item.description = times || undefined;
  if (handle.site) {
    item.description = [times, siteText(handle.site)].filter(Boolean).join(' · ');
    item.command = { command: OPEN_SITE_COMMAND, title: 'Open Creation Site', arguments: [row] };
    item.contextValue = 'asyncTaskHandle.site';
  }
  return item;
}

const SEVERITY_ICONS: Record<FindingRow['finding']['severity'], [string, string]> = {
  error: ['error', 'problemsErrorIcon.foreground'],
  warning: ['warning', 'problemsWarningIcon.foreground'],
  info: ['info', 'problemsInfoIcon.foreground'],
};

function findingsItem(row: FindingsRow): vscode.TreeItem {
  const item = new vscode.TreeItem(findingsLabel(row.findings), collapsible(row, true));
  item.description = describeFindings(row.findings);
  const worst = row.findings[0]?.severity;
  item.iconPath = worst ? icon(...SEVERITY_ICONS[worst]) : icon('pass', 'testing.iconPassed');
  item.contextValue = 'asyncTaskFindings';
  return item;
}

function findingItem(row: FindingRow): vscode.TreeItem {
  const { finding } = row;
  const item = new vscode.TreeItem(finding.message, collapsible(row));
  item.description = FINDING_KIND_WORDS[finding.kind];
  item.iconPath = icon(...SEVERITY_ICONS[finding.severity]);
  item.tooltip = new vscode.MarkdownString().appendText(
    `${FINDING_KIND_WORDS[finding.kind]}: ${finding.message}`,
  );
  if (finding.site) {
    item.command = { command: OPEN_SITE_COMMAND, title: 'Open Where It Waits', arguments: [row] };
    item.contextValue = 'asyncTaskFinding.site';
  } else {
    item.contextValue = 'asyncTaskFinding';
  }
  return item;
}

function frameItem(row: FrameRow): vscode.TreeItem {
  const { frame } = row;
  const item = new vscode.TreeItem(frameLabel(frame));
  item.description = describeFrame(frame);
  item.tooltip = formatFrame(frame);
  // The program's own frames stand out; a library's or the runtime's are there to follow, greyed.
  item.iconPath = icon(
    frame.origin ? 'library' : 'debug-stackframe',
    undefined,
    row.stale || frame.origin !== undefined,
  );
  item.command = { command: OPEN_SITE_COMMAND, title: 'Open This Line', arguments: [row] };
  item.contextValue = 'asyncTaskFrame.site';
  if (row.stale || frame.origin) item.resourceUri = staleUri(row.id);
  return item;
}

function moreItem(row: MoreRow): vscode.TreeItem {
  const item = new vscode.TreeItem(moreRowLabel(row.remaining, row.fetch !== undefined));
  item.iconPath = new vscode.ThemeIcon(row.fetch ? 'cloud-download' : 'ellipsis');
  item.command = { command: 'asyncToolkit.showMoreTasks', title: 'Show More', arguments: [row] };
  return item;
}

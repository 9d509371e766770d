// Turns rows into TreeItems: the view's TreeDataProvider, and the one place that switches on a row's
// kind; the items of tasks and problems are built in items/, their words in wording/. Knows nothing of
// where snapshots come from.
// Stale rows (the program ran since the snapshot) are greyed: a TreeItem has no label colour, but a
// FileDecorationProvider colours the label of any row with a `resourceUri`, so stale rows carry one
// in our own URI scheme.
import * as vscode from 'vscode';
import { collapsible, icon, OPEN_SITE_COMMAND, STALE_SCHEME, staleUri } from './items/itemLook';
import { findingItem, findingsItem } from './items/problemItems';
import { frameItem, groupItem, taskItem } from './items/taskItems';
import type { HandleRow, MessageRow, MoreRow, Row, SessionRow } from './rows/rowTypes';
import type { TaskRows } from './rows/taskRows';
import { formatClock, siteText } from './wording/taskWords';
import {
  describeSessionRow,
  HANDLES_LABEL,
  HANDLES_TOOLTIP,
  handleLabel,
  messages,
  moreRowLabel,
  sessionLabel,
} from './wording/viewWords';

const MESSAGE_ICONS: Record<MessageRow['severity'], [string, string | undefined]> = {
  info: ['info', undefined],
  warning: ['warning', 'list.warningForeground'],
  error: ['error', 'list.errorForeground'],
  progress: ['loading~spin', undefined],
};

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

function moreItem(row: MoreRow): vscode.TreeItem {
  const item = new vscode.TreeItem(moreRowLabel(row.remaining, row.fetch !== undefined));
  item.iconPath = new vscode.ThemeIcon(row.fetch ? 'cloud-download' : 'ellipsis');
  item.command = { command: 'asyncToolkit.showMoreTasks', title: 'Show More', arguments: [row] };
  return item;
}

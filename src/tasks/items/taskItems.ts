// TreeItems of the rows about tasks: groups, tasks, and the frames of a suspended task's stack.
import * as vscode from 'vscode';
import type { GroupKind, TaskState } from '../../snapshot/format';
import type { FrameRow, GroupRow, TaskRow } from '../rows/rowTypes';
import { taskLocation } from '../taskLocation';
import {
  describeFrame,
  describeTaskRow,
  formatFrame,
  frameLabel,
  taskAccessibilityLabel,
  taskLabel,
  taskTooltipMarkdown,
} from '../wording/taskWords';
import { describeGroupRow, groupLabel, groupTooltipMarkdown } from '../wording/viewWords';
import { collapsible, icon, OPEN_SITE_COMMAND, staleUri } from './itemLook';

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

export function groupItem(row: GroupRow): vscode.TreeItem {
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

export function taskItem(row: TaskRow): vscode.TreeItem {
  const { task } = row;
  const item = new vscode.TreeItem(taskLabel(task), collapsible(row));
  // A task under a group that names what they all await does not say it again.
  const shownAbove =
    row.parent?.kind === 'group' ? (row.parent.group.awaiting ?? row.parent.group.label) : undefined;
  item.description = describeTaskRow(task, row.childCount, shownAbove);
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

export function frameItem(row: FrameRow): vscode.TreeItem {
  const { frame } = row;
  const item = new vscode.TreeItem(frameLabel(frame));
  item.description = row.starter ? `started it · ${describeFrame(frame)}` : describeFrame(frame);
  item.tooltip = row.starter ? `Started this operation:\n${formatFrame(frame)}` : formatFrame(frame);
  // The program's own frames stand out; a library's or the runtime's are there to follow, greyed.
  item.iconPath = icon(
    row.starter ? 'debug-start' : frame.origin ? 'library' : 'debug-stackframe',
    undefined,
    row.stale || frame.origin !== undefined,
  );
  item.command = { command: OPEN_SITE_COMMAND, title: 'Open This Line', arguments: [row] };
  item.contextValue = 'asyncTaskFrame.site';
  if (row.stale || frame.origin) item.resourceUri = staleUri(row.id);
  return item;
}

// Aggregation at the source: a snapshot of 100 000 pending promises must cross the debug adapter as a
// few hundred groups and the first tasks of each, not as 100 000 objects. Pure: tasks in, a page out.

import type { SourceLocation, Task, TaskGroup, TaskState } from '../tasks/model';
import type { SnapshotOptions } from './snapshotOptions';

export interface Page {
  tasks: Task[];
  groups?: TaskGroup[];
  /** Tasks that passed the filters, whether sent or not. */
  totalTasks: number;
}

/** Tasks sent when `groupBy` is 'none' (or a group is expanded) and no `limit` is given. */
export const DEFAULT_UNGROUPED_LIMIT = 1000;

export function groupKeyOf(task: Task, groupBy: 'site' | 'type'): string {
  if (groupBy === 'type' || !task.site) return `type:${task.type}`;
  const { file, line, column } = task.site;
  return `${task.siteInherited ? 'within' : 'site'}:${file}:${line}:${column ?? 0}`;
}

export function labelOf(task: Task, groupBy: 'site' | 'type'): string {
  if (groupBy === 'type') return task.type;
  if (!task.site) return `${task.type} (site unknown)`;
  const where = `${baseName(task.site.file)}:${task.site.line}`;
  if (task.siteInherited) return `within ${task.site.functionName ?? '(anonymous)'} — ${where}`;
  return `${task.name ?? task.site.functionName ?? '(anonymous)'} — ${where}`;
}

export function pageTasks(tasks: Task[], options: SnapshotOptions): Page {
  if (options.groupBy === 'none') {
    const limit = options.limit ?? DEFAULT_UNGROUPED_LIMIT;
    return { tasks: tasks.slice(options.offset, options.offset + limit), totalTasks: tasks.length };
  }
  const groupBy = options.groupBy;
  interface Building {
    group: TaskGroup;
    members: Task[];
  }
  const byKey = new Map<string, Building>();
  for (const task of tasks) {
    const key = groupKeyOf(task, groupBy);
    let building = byKey.get(key);
    if (!building) {
      const group: TaskGroup = {
        id: key,
        label: labelOf(task, groupBy),
        kind: groupBy,
        count: 0,
        states: {},
        taskIds: [],
      };
      if (groupBy === 'site' && task.site) group.site = siteWithoutInheritance(task.site);
      building = { group, members: [] };
      byKey.set(key, building);
    }
    building.group.count += 1;
    const states = building.group.states as Partial<Record<TaskState, number>>;
    states[task.state] = (states[task.state] ?? 0) + 1;
    building.members.push(task);
  }

  if (options.group !== undefined) {
    const building = byKey.get(options.group);
    if (!building) return { tasks: [], groups: [], totalTasks: tasks.length };
    const limit = options.limit ?? options.maxTasksPerGroup;
    const sent = building.members.slice(options.offset, options.offset + limit);
    building.group.taskIds = sent.map((task) => task.id);
    return { tasks: sent, groups: [building.group], totalTasks: building.group.count };
  }

  // Largest groups first; ties by label, so snapshots of an unchanged program read the same.
  const ordered = [...byKey.values()].sort(
    (a, b) =>
      b.group.count - a.group.count ||
      (a.group.label < b.group.label ? -1 : a.group.label > b.group.label ? 1 : 0),
  );
  const sent: Task[] = [];
  const groups: TaskGroup[] = [];
  for (const building of ordered.slice(0, options.maxGroups)) {
    const first = building.members.slice(0, options.maxTasksPerGroup);
    building.group.taskIds = first.map((task) => task.id);
    sent.push(...first);
    groups.push(building.group);
  }
  return { tasks: sent, groups, totalTasks: tasks.length };
}

function siteWithoutInheritance(site: SourceLocation): SourceLocation {
  return { ...site };
}

function baseName(file: string): string {
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return slash === -1 ? file : file.slice(slash + 1);
}

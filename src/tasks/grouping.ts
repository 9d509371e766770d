// Turns a snapshot's groups into the groups the view shows. Every source aggregates at the source (the
// Node agent and the Python probe send `groups` with the first N tasks of each); tasks fetched later
// for a group join it. The view decides no grouping of its own: a snapshot without groups (a foreign
// or hand-written one) shows one group per task type. One pass with a Map.
import type { Snapshot, SourceLocation, Task, TaskGroup, TaskState } from '../snapshot/format';

export interface ViewGroup {
  /** Stable across snapshots of one program (site, awaited thing or type), used to compare them. */
  key: string;
  label: string;
  kind: TaskGroup['kind'];
  site?: SourceLocation;
  /** Every task of the group, including those the source did not send. */
  count: number;
  states: Partial<Record<TaskState, number>>;
  /** The tasks at hand, in the source's order. */
  tasks: Task[];
  /** The source's group id, to fetch the tasks it did not send. */
  sourceGroupId?: string;
  /** What the tasks wait on, when the source says. */
  awaiting?: string;
  oldestAgeMs?: number;
}

function siteKey(site: SourceLocation): string {
  return `site:${site.file}:${site.line}:${site.column ?? 0}`;
}

function byCountThenLabel(a: ViewGroup, b: ViewGroup): number {
  return b.count - a.count || a.label.localeCompare(b.label);
}

/** Groups the tasks of a snapshot; `extraTasks` holds tasks fetched later for a source group (by its id). */
export function groupSnapshot(
  snapshot: Snapshot,
  extraTasks?: ReadonlyMap<string, readonly Task[]>,
): ViewGroup[] {
  if (snapshot.groups) return sourceGroups(snapshot, snapshot.groups, extraTasks);
  const groups = new Map<string, ViewGroup>();
  for (const task of snapshot.tasks) {
    const where = { key: `type:${task.type}`, label: task.type, kind: 'type' as const };
    let group = groups.get(where.key);
    if (!group) {
      group = { ...where, count: 0, states: {}, tasks: [] };
      groups.set(where.key, group);
    }
    group.count += 1;
    group.states[task.state] = (group.states[task.state] ?? 0) + 1;
    group.tasks.push(task);
  }
  return [...groups.values()].sort(byCountThenLabel);
}

function sourceGroups(
  snapshot: Snapshot,
  groups: readonly TaskGroup[],
  extraTasks?: ReadonlyMap<string, readonly Task[]>,
): ViewGroup[] {
  const tasksById = new Map<string, Task>();
  for (const task of snapshot.tasks) tasksById.set(task.id, task);
  const seen = new Set<string>();
  const result: ViewGroup[] = [];
  for (const group of groups) {
    const tasks: Task[] = [];
    for (const id of group.taskIds) {
      const task = tasksById.get(id);
      // A task listed by two groups would get two tree rows with one id: keep its first group.
      if (task && !seen.has(id)) {
        seen.add(id);
        tasks.push(task);
      }
    }
    for (const task of extraTasks?.get(group.id) ?? []) {
      if (!seen.has(task.id)) {
        seen.add(task.id);
        tasks.push(task);
      }
    }
    const states = group.states ?? countStates(tasks);
    result.push({
      // The label tells a site's own tasks from those "within" it; the site tells equal labels apart.
      key: group.site ? `${siteKey(group.site)}|${group.label}` : `${group.kind}:${group.label}`,
      label: group.label,
      kind: group.kind,
      site: group.site,
      count: Math.max(group.count, tasks.length),
      states,
      tasks,
      sourceGroupId: group.id,
      awaiting: group.awaiting,
      oldestAgeMs: group.oldestAgeMs,
    });
  }
  return result.sort(byCountThenLabel);
}

export function countStates(tasks: readonly Task[]): Partial<Record<TaskState, number>> {
  const states: Partial<Record<TaskState, number>> = {};
  for (const task of tasks) states[task.state] = (states[task.state] ?? 0) + 1;
  return states;
}

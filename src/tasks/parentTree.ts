// The parent/child view of a snapshot: promise → the promises it triggered; Python task →
// nursery/TaskGroup → children. Pure and linear in the number of tasks.
import type { Task } from '../snapshot/format';

export interface ParentTree {
  roots: Task[];
  children: ReadonlyMap<string, Task[]>;
}

/**
 * Links each task under its parent. A task whose parent is not in the snapshot (settled, dropped,
 * or filtered out) becomes a root, and so does one task of any parent cycle, so that every task
 * is reachable exactly once however odd the data.
 */
export function buildParentTree(tasks: readonly Task[]): ParentTree {
  const byId = new Map<string, Task>();
  for (const task of tasks) byId.set(task.id, task);
  const children = new Map<string, Task[]>();
  const roots: Task[] = [];
  for (const task of tasks) {
    const parent = task.parentId !== null && task.parentId !== task.id ? byId.get(task.parentId) : undefined;
    if (!parent) {
      roots.push(task);
      continue;
    }
    const siblings = children.get(parent.id);
    if (siblings) siblings.push(task);
    else children.set(parent.id, [task]);
  }
  const reached = new Set<string>();
  const visit = (start: Task) => {
    const stack = [start];
    while (stack.length) {
      const task = stack.pop() as Task;
      if (reached.has(task.id)) continue;
      reached.add(task.id);
      for (const child of children.get(task.id) ?? []) stack.push(child);
    }
  };
  for (const root of roots) visit(root);
  if (reached.size < byId.size) {
    for (const task of tasks) {
      if (reached.has(task.id)) continue;
      // Part of a cycle: cut it here by making this task a root and removing it from its parent's list.
      const siblings = task.parentId === null ? undefined : children.get(task.parentId);
      if (siblings) siblings.splice(siblings.indexOf(task), 1);
      roots.push(task);
      visit(task);
    }
  }
  return { roots, children };
}

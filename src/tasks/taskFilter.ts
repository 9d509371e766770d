// The view's filters: hide runtime internals, keep some types, a minimum age, a search text.
// Sources get the filters too (the Node agent aggregates with them, so counts of groups it did not
// send in full are already filtered); the view applies them again to what arrived.

import type { Handle, Task } from '../snapshot/format';
import { countStates, type ViewGroup } from './grouping';
import { shortFileName } from './wording/taskWords';

export interface TaskFilter {
  hideInternals: boolean;
  /** Task types to keep; empty keeps every type. */
  types: readonly string[];
  /** Keep tasks at least this old (tasks of unknown age are kept). */
  minAgeMs: number;
  /** Case-insensitive text to find in a task's name, type, site, or what it awaits. */
  text: string;
}

export const DEFAULT_FILTER: TaskFilter = { hideInternals: true, types: [], minAgeMs: 0, text: '' };

/** Whether the filter narrows beyond the default (hiding internals is the default, not a narrowing). */
export function isNarrowing(filter: TaskFilter): boolean {
  return filter.types.length > 0 || filter.minAgeMs > 0 || filter.text.trim() !== '';
}

function includesText(haystack: string | undefined, needle: string): boolean {
  return haystack?.toLowerCase().includes(needle) ?? false;
}

export function taskMatches(task: Task, filter: TaskFilter): boolean {
  if (filter.hideInternals && task.internal) return false;
  if (filter.types.length && !filter.types.includes(task.type)) return false;
  if (filter.minAgeMs > 0 && task.ageMs !== undefined && task.ageMs < filter.minAgeMs) return false;
  const text = filter.text.trim().toLowerCase();
  if (text) {
    return (
      includesText(task.name, text) ||
      includesText(task.type, text) ||
      includesText(task.awaiting, text) ||
      includesText(task.site?.functionName, text) ||
      (task.site !== undefined && includesText(shortFileName(task.site.file), text))
    );
  }
  return true;
}

/**
 * What keeps the program alive follows the search text (a handle's type, description or file); types
 * and age are about tasks, so `complete` is false when those narrow the tasks but not the handles.
 */
export function filterHandles(
  handles: readonly Handle[],
  filter: TaskFilter,
): { handles: Handle[]; complete: boolean } {
  const text = filter.text.trim().toLowerCase();
  const kept = text
    ? handles.filter(
        (handle) =>
          includesText(handle.type, text) ||
          includesText(handle.description, text) ||
          (handle.site !== undefined && includesText(shortFileName(handle.site.file), text)),
      )
    : [...handles];
  return { handles: kept, complete: filter.types.length === 0 && filter.minAgeMs === 0 };
}

export interface FilteredGroup extends ViewGroup {
  /** The source sent only some tasks and the filter removed some of those: `count` is the source's, unfiltered by type or text. */
  approximate?: boolean;
}

/**
 * Applies the filter to grouped tasks. A group whose tasks all arrived is recounted exactly; a
 * group the source truncated keeps the source's count (the source applied internals and age
 * itself) and is marked approximate when the filter also removed some of the tasks that arrived.
 */
export function filterGroups(groups: readonly ViewGroup[], filter: TaskFilter): FilteredGroup[] {
  const result: FilteredGroup[] = [];
  const text = filter.text.trim().toLowerCase();
  for (const group of groups) {
    const labelMatches = text !== '' && group.label.toLowerCase().includes(text);
    const textless = labelMatches ? { ...filter, text: '' } : filter;
    const tasks = group.tasks.filter((task) => taskMatches(task, textless));
    const complete = group.tasks.length >= group.count;
    if (complete) {
      if (tasks.length === 0) continue;
      result.push(
        tasks.length === group.tasks.length
          ? group
          : {
              ...group,
              tasks,
              count: tasks.length,
              states: countStates(tasks),
              oldestAgeMs: oldestAge(tasks),
            },
      );
    } else {
      if (tasks.length === 0 && group.tasks.length > 0) continue;
      if (tasks.length === 0 && text && !labelMatches) continue;
      result.push(tasks.length === group.tasks.length ? group : { ...group, tasks, approximate: true });
    }
  }
  return result;
}

function oldestAge(tasks: readonly Task[]): number | undefined {
  let oldest: number | undefined;
  for (const task of tasks)
    if (task.ageMs !== undefined && (oldest === undefined || task.ageMs > oldest)) oldest = task.ageMs;
  return oldest;
}

/** "5s", "500 ms", "2m", "1.5h", "250" (milliseconds) → milliseconds; undefined when unreadable. Empty → 0. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return 0;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h)?$/.exec(trimmed);
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2] ?? 'ms';
  const factor =
    unit === 'ms' ? 1 : unit === 's' || unit === 'sec' ? 1000 : unit === 'h' ? 3_600_000 : 60_000;
  return Math.round(value * factor);
}

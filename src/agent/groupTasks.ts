// Aggregation at the source: a snapshot of 100 000 pending promises must cross the debug adapter as a
// few hundred groups and the first tasks of each, not as 100 000 objects. Pure and generic over what is
// grouped, so that only the tasks actually sent are ever turned into objects of the snapshot format.

import type { TaskState } from '../snapshot/format';
import type { GroupBy } from '../snapshot/request';
import { SafeMap } from './intrinsics';

export interface PageRequest {
  groupBy: GroupBy;
  maxTasksPerGroup: number;
  maxGroups: number;
  /** Only this group's members, from `offset`, at most `limit` (default `maxTasksPerGroup`). */
  group: string | undefined;
  offset: number;
  limit: number | undefined;
}

export interface PagedGroup<T> {
  key: string;
  /** The first member: what the group is labelled after. */
  first: T;
  count: number;
  states: Partial<Record<TaskState, number>>;
  /** The members sent, in order. */
  sent: T[];
}

export interface Page<T> {
  /** Every item sent, group after group. */
  sent: T[];
  /** Absent when `groupBy` is 'none'. */
  groups?: PagedGroup<T>[];
  /** Items that passed the filters (of the requested group, when one is), sent or not. */
  total: number;
}

/** Items sent when `groupBy` is 'none' and no `limit` is given. */
export const DEFAULT_UNGROUPED_LIMIT = 1000;

/**
 * Groups `items` (already in the order they should be sent) by `keyOf`; the largest groups first
 * (ties by key, so that an unchanged program gives the same page twice), the first members of each.
 */
export function pageItems<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  stateOf: (item: T) => TaskState,
  request: PageRequest,
): Page<T> {
  if (request.groupBy === 'none') {
    const limit = request.limit ?? DEFAULT_UNGROUPED_LIMIT;
    return { sent: items.slice(request.offset, request.offset + limit), total: items.length };
  }
  const byKey: Map<string, { group: PagedGroup<T>; members: T[] }> = new SafeMap();
  for (const item of items) {
    const key = keyOf(item);
    let building = byKey.get(key);
    if (building === undefined) {
      building = { group: { key, first: item, count: 0, states: {}, sent: [] }, members: [] };
      byKey.set(key, building);
    }
    building.group.count += 1;
    const state = stateOf(item);
    building.group.states[state] = (building.group.states[state] ?? 0) + 1;
    building.members.push(item);
  }

  if (request.group !== undefined) {
    const building = byKey.get(request.group);
    if (building === undefined) return { sent: [], groups: [], total: 0 };
    const limit = request.limit ?? request.maxTasksPerGroup;
    building.group.sent = building.members.slice(request.offset, request.offset + limit);
    return { sent: building.group.sent, groups: [building.group], total: building.group.count };
  }

  const ordered = [...byKey.values()].sort(
    (a, b) =>
      b.group.count - a.group.count || (a.group.key < b.group.key ? -1 : a.group.key > b.group.key ? 1 : 0),
  );
  const sent: T[] = [];
  const groups: PagedGroup<T>[] = [];
  for (const building of ordered.slice(0, request.maxGroups)) {
    building.group.sent = building.members.slice(0, request.maxTasksPerGroup);
    sent.push(...building.group.sent);
    groups.push(building.group);
  }
  return { sent, groups, total: items.length };
}

export function baseName(file: string): string {
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return slash === -1 ? file : file.slice(slash + 1);
}

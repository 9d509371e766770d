// "Compare with previous snapshot": which groups grew. The leak question is "what keeps
// accumulating", so changes are ordered by growth, biggest first.
import type { ViewGroup } from './grouping';

export interface GroupChange {
  key: string;
  label: string;
  before: number;
  after: number;
  delta: number;
}

/** Every group of either snapshot with its count before and after; biggest growth first, vanished groups last. */
export function compareGroups(previous: readonly ViewGroup[], current: readonly ViewGroup[]): GroupChange[] {
  const changes = new Map<string, GroupChange>();
  for (const group of previous) {
    changes.set(group.key, {
      key: group.key,
      label: group.label,
      before: group.count,
      after: 0,
      delta: -group.count,
    });
  }
  for (const group of current) {
    const change = changes.get(group.key);
    if (change) {
      change.after = group.count;
      change.delta = group.count - change.before;
    } else {
      changes.set(group.key, {
        key: group.key,
        label: group.label,
        before: 0,
        after: group.count,
        delta: group.count,
      });
    }
  }
  return [...changes.values()].sort(
    (a, b) => b.delta - a.delta || b.after - a.after || a.label.localeCompare(b.label),
  );
}

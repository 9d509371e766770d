// A session's findings: those the runtime sent (it knows lock owners, collected promises, coroutines
// never awaited), and those the view can judge from any runtime's snapshot (tasks stuck past a limit,
// tasks waiting for each other, groups that keep growing). Runtime findings win when both find the
// same problem. Errors first, then warnings, then the rest.
import type { Finding, FindingSeverity, Snapshot } from '../../snapshot/format';
import type { ViewGroup } from '../grouping';
import { findAwaitCycles } from './awaitCycles';
import { findGrowingGroups } from './growingGroups';
import { findStuckTasks } from './stuckTasks';

const SEVERITY_ORDER: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

export interface FindingsInput {
  snapshot: Snapshot;
  /** Groups of earlier snapshots, oldest first, and of this one last. */
  groupHistory: readonly (readonly ViewGroup[])[];
  stuckAfterMs: number;
}

export function sessionFindings({ snapshot, groupHistory, stuckAfterMs }: FindingsInput): Finding[] {
  const fromRuntime = snapshot.findings ?? [];
  const known = new Set(fromRuntime.map((finding) => finding.id));
  const ownCycles = findAwaitCycles(snapshot);
  // A loop the runtime reported (by its own id or members) is not reported twice.
  const runtimeMembers = new Set(
    fromRuntime.filter((f) => f.kind === 'cycle' || f.kind === 'lockCycle').flatMap((f) => f.taskIds),
  );
  const viewFindings = [
    ...ownCycles.filter((finding) => !finding.taskIds.every((id) => runtimeMembers.has(id))),
    ...findStuckTasks(snapshot, stuckAfterMs),
    ...findGrowingGroups(groupHistory),
  ].filter((finding) => !known.has(finding.id));
  return [...fromRuntime, ...viewFindings]
    .map((finding, index) => ({ finding, index }))
    .sort(
      (a, b) => SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] || a.index - b.index,
    )
    .map(({ finding }) => finding);
}

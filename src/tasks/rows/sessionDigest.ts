// What the rows of one session are made from, worked out once per snapshot and filter: its groups
// after the filter, the parent tree of the tasks that passed it, and the change of each group since
// the previous snapshot. The filter runs here and nowhere else in the view.
import type { Finding, Snapshot } from '../../snapshot/format';
import { compareGroups, type GroupChange } from '../diff';
import { sessionFindings } from '../findings/sessionFindings';
import { groupSnapshot, type ViewGroup } from '../grouping';
import { buildParentTree, type ParentTree } from '../parentTree';
import type { SessionState } from '../state/sessionStore';
import { type FilteredGroup, filterGroups, type TaskFilter } from '../taskFilter';

interface Digest {
  snapshot: Snapshot;
  extraTasks: SessionState['extraTasks'];
  filterKey: string;
  groups: FilteredGroup[];
  tree?: ParentTree;
  changes?: { previous: Snapshot; changes: Map<string, GroupChange> };
  findings?: { stuckAfterMs: number; findings: Finding[] };
}

export class SessionDigests {
  private readonly digests = new Map<string, Digest>();
  /** Each snapshot's groups before any filter, for findings across the session's history. */
  private readonly unfiltered = new WeakMap<Snapshot, ViewGroup[]>();

  /** The groups a session shows under this filter; empty before its first snapshot. */
  groupsOf(session: SessionState, filter: TaskFilter): FilteredGroup[] {
    return this.digestOf(session, filter)?.groups ?? [];
  }

  /** Tasks the session shows, counting those the source did not send. */
  countOf(session: SessionState, filter: TaskFilter): number {
    let total = 0;
    for (const group of this.groupsOf(session, filter)) total += group.count;
    return total;
  }

  /** The parent tree of the tasks that passed the filter. */
  treeOf(session: SessionState, filter: TaskFilter): ParentTree {
    const digest = this.digestOf(session, filter);
    if (!digest) return { roots: [], children: new Map() };
    digest.tree ??= buildParentTree(digest.groups.flatMap((group) => group.tasks));
    return digest.tree;
  }

  /** Each group's change since the previous snapshot, by group key; undefined with nothing to compare. */
  changesOf(session: SessionState, filter: TaskFilter): Map<string, GroupChange> | undefined {
    const digest = this.digestOf(session, filter);
    const previous = session.previous?.snapshot;
    if (!digest || !previous) return undefined;
    if (digest.changes?.previous !== previous) {
      const before = filterGroups(groupSnapshot(previous), filter);
      const changes = compareGroups(before, digest.groups);
      digest.changes = { previous, changes: new Map(changes.map((change) => [change.key, change])) };
    }
    return digest.changes.changes;
  }

  /** Why the session's program is stuck, judged on every task whatever the filter. */
  findingsOf(session: SessionState, filter: TaskFilter, stuckAfterMs: number): Finding[] | undefined {
    const digest = this.digestOf(session, filter);
    if (!digest) return undefined;
    if (digest.findings?.stuckAfterMs !== stuckAfterMs) {
      const groupHistory = [...session.history.map((entry) => entry.snapshot), digest.snapshot].map(
        (snapshot) => this.groupsBeforeFilter(snapshot),
      );
      digest.findings = {
        stuckAfterMs,
        findings: sessionFindings({ snapshot: digest.snapshot, groupHistory, stuckAfterMs }),
      };
    }
    return digest.findings.findings;
  }

  private groupsBeforeFilter(snapshot: Snapshot): ViewGroup[] {
    let groups = this.unfiltered.get(snapshot);
    if (!groups) {
      groups = groupSnapshot(snapshot);
      this.unfiltered.set(snapshot, groups);
    }
    return groups;
  }

  /** Forgets sessions the store no longer has. */
  keepOnly(sessionIds: ReadonlySet<string>): void {
    for (const id of this.digests.keys()) if (!sessionIds.has(id)) this.digests.delete(id);
  }

  private digestOf(session: SessionState, filter: TaskFilter): Digest | undefined {
    const snapshot = session.snapshot;
    if (!snapshot) return undefined;
    const filterKey = JSON.stringify(filter);
    let digest = this.digests.get(session.id);
    if (
      !digest ||
      digest.snapshot !== snapshot ||
      digest.extraTasks !== session.extraTasks ||
      digest.filterKey !== filterKey
    ) {
      const groups: ViewGroup[] = groupSnapshot(snapshot, session.extraTasks);
      digest = { snapshot, extraTasks: session.extraTasks, filterKey, groups: filterGroups(groups, filter) };
      this.digests.set(session.id, digest);
    }
    return digest;
  }
}

// `snapshot(options)`: list what is live (collectTasks.ts), describe each task once
// (describedTask.ts), filter, order and group, and only then turn the tasks actually sent into objects
// of the documented format (snapshotTasks.ts). Counting 100 000 pending promises allocates little more
// than the heap query's own array.

import { SNAPSHOT_FORMAT_VERSION, type Snapshot, type Task, type TaskGroup } from '../snapshot/format';
import { parseSnapshotRequest } from '../snapshot/request';
import { type CollectContext, collectTasks, type TaskEntry } from './collectTasks';
import { type Described, describe, groupKeyOf, labelOf } from './describedTask';
import { pageItems } from './groupTasks';
import { forgetLiveObjects } from './heapQuery';
import { DateNow, processId, SafeMap } from './intrinsics';
import { orphanFindings } from './nodeFindings';
import { operationPage } from './operationSnapshot';
import type { OrphanReport } from './orphanWatch';
import { describeHandles, type SendContext, toLocation, toTask } from './snapshotTasks';
import { PROMISE_TRACKING, RESOURCE_TRACKING, trackingNote } from './trackingNotes';

export type SnapshotContext = CollectContext &
  SendContext & {
    /**
     * Operations dropped while pending (orphanWatch.ts), once the heap walk numbered `walk` (if it ran)
     * has shown which watched promises were collected.
     */
    orphans?: (walk: number | undefined) => OrphanReport;
  };

/** A snapshot of this process with no tasks yet. */
function emptySnapshot(takenAt: number): Snapshot {
  return { version: SNAPSHOT_FORMAT_VERSION, runtime: 'node', pid: processId, takenAt, tasks: [] };
}

/** The snapshot not taken: the program made a change to a built-in permanent (builtinGuard.ts). */
export function refusedSnapshot(property: string): Snapshot {
  return {
    ...emptySnapshot(DateNow()),
    error: `not taken: the program replaced ${property} and made it permanent, and a snapshot would run that code`,
  };
}

export function takeSnapshot(rawOptions: unknown, context: SnapshotContext): Snapshot {
  try {
    return snapshotOf(rawOptions, context);
  } finally {
    forgetLiveObjects();
  }
}

function snapshotOf(rawOptions: unknown, context: SnapshotContext): Snapshot {
  const options = parseSnapshotRequest(rawOptions);
  const takenAt = DateNow();
  const snapshot = emptySnapshot(takenAt);
  const notes = [
    trackingNote(context.tracking, PROMISE_TRACKING),
    trackingNote(context.resourceTracking, RESOURCE_TRACKING),
  ].filter((note): note is string => note !== undefined);
  let entries: TaskEntry[] | undefined;
  let walk: number | undefined;
  let failure: string | undefined;
  try {
    ({ entries, walk } = collectTasks(context));
  } catch (error) {
    failure = `could not list pending tasks: ${error instanceof Error ? error.message : String(error)}`;
  }
  // Findings come with every snapshot but a group's next page; the walk's collection has just shown
  // which watched promises were dropped.
  const dropped =
    options.group === undefined
      ? orphanFindings(context.orphans?.(walk), takenAt, options.includeInternals)
      : { findings: [], note: undefined };
  if (dropped.note !== undefined) notes.push(dropped.note);
  if (options.group === undefined) snapshot.findings = dropped.findings;
  if (notes.length) snapshot.notes = notes;
  if (entries === undefined) {
    snapshot.error = failure;
    return snapshot;
  }

  // The default grouping shows operations — what users think in — wherever stacks are shown; the
  // promises and resources they are made of stay available by type or as a flat list.
  if (options.groupBy === 'default' && context.showSites) {
    const page = operationPage(entries, options, takenAt);
    snapshot.tasks = page.tasks;
    snapshot.groups = page.groups;
    if (page.notes.length) snapshot.notes = [...(snapshot.notes ?? []), ...page.notes];
    if (snapshot.findings !== undefined) snapshot.findings = [...page.findings, ...snapshot.findings];
    if (page.tasks.length < page.total)
      snapshot.truncated = { totalTasks: page.total, sentTasks: page.tasks.length };
    if (options.includeHandles && options.group === undefined)
      snapshot.handles = describeHandles(entries, options, context.showSites);
    return snapshot;
  }

  const kept: Described[] = [];
  for (const entry of entries) {
    const described = describe(entry, context.showSites);
    if (described.internal && !options.includeInternals) continue;
    // Tasks of unknown age are kept: they may well be old.
    const known = described.createdAt !== Number.POSITIVE_INFINITY;
    if (options.minAgeMs > 0 && known && takenAt - described.createdAt < options.minAgeMs) continue;
    kept.push(described);
  }
  // Oldest first — the long-lived tasks are the ones a user looks for — then in creation order; tasks
  // of unknown age (created inside jobs, never sent) last, in heap order.
  kept.sort((a, b) => a.createdAt - b.createdAt || a.order - b.order);

  const page = pageItems(
    kept,
    (item) => groupKeyOf(item, options.groupBy),
    (item) => item.state,
    options,
  );
  const taskOf: Map<Described, Task> = new SafeMap();
  for (const item of page.sent) taskOf.set(item, toTask(item, takenAt, options, context));
  snapshot.tasks = [...taskOf.values()];
  if (page.groups) {
    snapshot.groups = page.groups.map((group) => {
      const described: TaskGroup = {
        id: group.key,
        label: labelOf(group.first, options.groupBy),
        kind: options.groupBy === 'type' ? 'type' : 'site',
        count: group.count,
        states: group.states,
        taskIds: group.sent.map((item) => (taskOf.get(item) as Task).id),
      };
      const site = group.first.resolved.site;
      if (options.groupBy === 'default' && site) described.site = toLocation(site);
      return described;
    });
  }
  if (page.sent.length < page.total)
    snapshot.truncated = { totalTasks: page.total, sentTasks: page.sent.length };
  if (options.includeHandles && options.group === undefined)
    snapshot.handles = describeHandles(entries, options, context.showSites);
  return snapshot;
}

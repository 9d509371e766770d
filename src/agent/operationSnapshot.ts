// The default grouping of a Node snapshot: operations (operations.ts) as tasks of type `Operation`,
// merged into groups of kind `stack` by their logical stack, oldest first, with a note saying how many
// have exact stacks when some do not.

import type { Finding, Task, TaskGroup } from '../snapshot/format';
import type { SnapshotRequest } from '../snapshot/request';
import type { TaskEntry } from './collectTasks';
import { pageItems } from './groupTasks';
import { SafeMap } from './intrinsics';
import { cycleFindings } from './nodeFindings';
import { innermostOwn, operationName, toStackFrame } from './operationFrames';
import type { FoundOperations, Operation } from './operationModel';
import { findOperations } from './operations';
import { toLocation } from './snapshotTasks';

export interface OperationPage {
  tasks: Task[];
  groups: TaskGroup[] | undefined;
  /** Operations that passed the filters, sent or not (those of the requested group, when one is). */
  total: number;
  notes: string[];
  /** Rings of operations awaiting one another (nodeFindings.ts). */
  findings: Finding[];
}

/** What a group of operations shares: their wait when it is one, else its kind; their oldest age. */
interface Shared {
  awaiting: string | undefined;
  kind: string | undefined;
  oldest: number | undefined;
}

const REASON_WORDS: Record<string, string> = {
  budget:
    'in the default mode the agent captures a limited number of stacks a second (BENCHMARKS.md), and the program made more promises than that; set asyncToolkit.node.creationStacks to "all" to capture every one, at a cost',
  paused: 'promise tracking paused while the program made promises very fast',
  beforeAgent: 'some promises were made before the agent loaded',
};

/**
 * The note on operations without exact stacks: how many have them, how many promises the others stand
 * for (one row per context they were made in, however many operations that was), and why.
 */
export function exactStacksNote(found: FoundOperations, shown: readonly Operation[]): string | undefined {
  const exact = shown.filter((item) => item.exact).length;
  if (exact === shown.length) return undefined;
  let promises = 0;
  for (const item of shown) if (!item.exact) promises += Number(item.details?.promises ?? 1);
  const why = [...found.reasons].map((reason) => REASON_WORDS[reason]).join('; ');
  const others = shown.length - exact;
  return `${exact} of ${shown.length} operations have exact stacks; the other ${others === 1 ? 'row stands' : `${others} rows stand`} for ${promises} pending ${promises === 1 ? 'promise' : 'promises'} known only by where ${promises === 1 ? 'it was' : 'they were'} made (lines marked “last known line”): ${why}.`;
}

export function operationPage(
  entries: readonly TaskEntry[],
  options: SnapshotRequest,
  takenAt: number,
): OperationPage {
  const found = findOperations(entries, options.includeInternals);
  const kept = found.operations.filter(
    (item) =>
      (options.includeInternals || !item.internal) &&
      (options.minAgeMs === 0 ||
        item.startedAt === undefined ||
        takenAt - item.startedAt >= options.minAgeMs),
  );
  // Oldest first — what hangs longest is what a user looks for — then in the order they were made.
  const startOf = (item: Operation) => item.startedAt ?? Number.POSITIVE_INFINITY;
  kept.sort((a, b) => startOf(a) - startOf(b) || a.order - b.order);

  const shared: Map<string, Shared> = new SafeMap();
  for (const item of kept) {
    const key = groupKey(item);
    const age = item.startedAt === undefined ? undefined : Math.max(0, takenAt - item.startedAt);
    const known = shared.get(key);
    if (known === undefined) {
      shared.set(key, { awaiting: item.awaiting.text, kind: item.awaiting.kind, oldest: age });
      continue;
    }
    if (known.awaiting !== item.awaiting.text) known.awaiting = undefined;
    if (known.kind !== item.awaiting.kind) known.kind = undefined;
    if (age !== undefined && (known.oldest === undefined || age > known.oldest)) known.oldest = age;
  }

  const page = pageItems(kept, groupKey, () => 'pending', options);
  const tasks = page.sent.map((item) => toOperationTask(item, takenAt, options));
  const groups = page.groups?.map((group) => {
    const { awaiting, kind, oldest } = shared.get(group.key) as Shared;
    const described: TaskGroup = {
      id: group.key,
      label: group.first.label,
      kind: 'stack',
      count: group.count,
      states: group.states,
      taskIds: group.sent.map((item) => item.id),
    };
    const site = innermostOwn(group.first.frames);
    if (site !== undefined) described.site = toLocation(site);
    if (awaiting ?? kind) described.awaiting = awaiting ?? kind;
    if (oldest !== undefined) described.oldestAgeMs = oldest;
    return described;
  });
  const note = options.group === undefined ? exactStacksNote(found, kept) : undefined;
  const findings = options.group === undefined ? cycleFindings(found, found.operations) : [];
  return { tasks, groups, total: page.total, notes: note === undefined ? [] : [note], findings };
}

function groupKey(item: Operation): string {
  return `stack:${item.key}`;
}

function toOperationTask(item: Operation, takenAt: number, options: SnapshotRequest): Task {
  const task: Task = { id: item.id, parentId: null, type: 'Operation', state: 'pending' };
  task.name = operationName(item.frames) ?? item.label;
  if (item.startedAt !== undefined) task.ageMs = Math.max(0, takenAt - item.startedAt);
  if (item.waitingSince !== undefined) task.waitingMs = Math.max(0, takenAt - item.waitingSince);
  task.awaiting = item.awaiting.text;
  const site = innermostOwn(item.frames);
  if (site !== undefined) task.site = toLocation(site);
  if (options.maxStackFrames > 0 && item.frames.length > 0) {
    task.stack = item.frames.slice(0, options.maxStackFrames).map(toStackFrame);
    task.stackKind = 'suspended';
  }
  if (item.startedBy !== undefined && options.maxStackFrames > 0)
    task.startedBy = item.startedBy.map(toStackFrame);
  if (item.internal) task.internal = true;
  if (item.details !== undefined) task.details = item.details;
  return task;
}

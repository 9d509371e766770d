// `snapshot(options)`: collect what is live, filter, group, and only then turn the tasks actually sent
// into objects of the documented format (docs/snapshot-format.md), with their stacks. Counting 100 000
// pending promises allocates little more than the heap query's own array.

import {
  type Handle,
  SNAPSHOT_FORMAT_VERSION,
  type Snapshot,
  type SourceLocation,
  type Task,
  type TaskGroup,
  type TaskState,
} from '../snapshot/format';
import { type GroupBy, parseSnapshotRequest, type SnapshotRequest } from '../snapshot/request';
import {
  type CollectContext,
  collectTasks,
  parentIdOf,
  type ResolvedStack,
  recordForSending,
  stackOf,
  type TaskEntry,
} from './collectTasks';
import { baseName, pageItems } from './groupTasks';
import type { GovernorReport } from './promiseRateGovernor';
import type { Frame } from './stackFrames';

/** What the filters, the order and the groups need to know of a task, worked out once per task. */
interface Described {
  entry: TaskEntry;
  resolved: ResolvedStack;
  /** The site is an ancestor's ("within …"), not the task's own. */
  inherited: boolean;
  internal: boolean;
  createdAt: number;
  order: number;
  state: TaskState;
}

const NO_STACK: ResolvedStack = { frames: [], builtin: undefined, site: undefined, source: undefined };

export function takeSnapshot(rawOptions: unknown, context: CollectContext): Snapshot {
  const options = parseSnapshotRequest(rawOptions);
  const takenAt = Date.now();
  const snapshot: Snapshot = {
    version: SNAPSHOT_FORMAT_VERSION,
    runtime: 'node',
    pid: process.pid,
    takenAt,
    tasks: [],
  };
  const notes = [
    trackingNote(context.tracking, PROMISE_TRACKING),
    trackingNote(context.resourceTracking, RESOURCE_TRACKING),
  ].filter((note): note is string => note !== undefined);
  if (notes.length) snapshot.notes = notes;
  let entries: TaskEntry[];
  try {
    entries = collectTasks(context).entries;
  } catch (error) {
    snapshot.error = `could not list pending tasks: ${error instanceof Error ? error.message : String(error)}`;
    return snapshot;
  }

  const kept: Described[] = [];
  for (const entry of entries) {
    const described = describe(entry);
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
  const taskOf = new Map<Described, Task>();
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
    snapshot.handles = describeHandles(entries, options);
  return snapshot;
}

function describe(entry: TaskEntry): Described {
  const own = entry.record;
  const basis = own ?? entry.context;
  const resolved = basis === undefined ? NO_STACK : stackOf(basis);
  const internal =
    entry.predatesAgent === true || (resolved.site === undefined && resolved.frames.length > 0);
  return {
    entry,
    resolved,
    inherited: own === undefined || resolved.source !== own,
    internal,
    // Promises linked to a synchronous run were created at the run's time; in a job, it is unknown.
    createdAt:
      own?.createdAt ??
      (entry.context?.run ? entry.context.createdAt : undefined) ??
      Number.POSITIVE_INFINITY,
    order: own === undefined ? Number.POSITIVE_INFINITY : Math.abs(own.number),
    state: entry.running ? 'running' : 'pending',
  };
}

export function groupKeyOf(item: Described, groupBy: GroupBy): string {
  const { resolved } = item;
  if (groupBy !== 'default' || resolved.site === undefined) return `type:${item.entry.type}`;
  if (item.inherited) {
    if (resolved.withinKey === undefined) resolved.withinKey = `within:${locationKey(resolved.site)}`;
    return resolved.withinKey;
  }
  if (resolved.ownKey === undefined) resolved.ownKey = `site:${locationKey(resolved.site)}`;
  return resolved.ownKey;
}

function locationKey(site: Frame): string {
  return `${site.file}:${site.line}:${site.column ?? 0}`;
}

function labelOf(item: Described, groupBy: GroupBy): string {
  const { site } = item.resolved;
  if (groupBy === 'type') return item.entry.type;
  if (site === undefined) return `${item.entry.type} (site unknown)`;
  const where = `${baseName(site.file)}:${site.line}`;
  if (item.inherited) return `within ${site.functionName ?? '(anonymous)'} — ${where}`;
  return `${nameOf(item) ?? site.functionName ?? '(anonymous)'} — ${where}`;
}

/** What a task is called: a resource's description, or how its promise came to be. */
function nameOf(item: Described): string | undefined {
  const { entry, resolved } = item;
  if (entry.resource) return entry.resource.description;
  if (item.inherited || resolved.site === undefined) return undefined;
  return nameOfPromise(entry.record?.derived === true, resolved.builtin, resolved.site.functionName);
}

function toTask(item: Described, takenAt: number, options: SnapshotRequest, context: CollectContext): Task {
  const { entry, resolved } = item;
  const record = recordForSending(entry, context.nextNumber);
  const task: Task = {
    id: record.id,
    parentId: parentIdOf(record.parentNumber),
    type: entry.type,
    state: item.state,
  };
  if (record.createdAt !== undefined) task.ageMs = Math.max(0, takenAt - record.createdAt);
  const name = nameOf(item);
  if (name !== undefined) task.name = name;
  if (resolved.site) {
    task.site = toLocation(resolved.site);
    if (item.inherited) task.siteInherited = true;
  }
  if (item.internal) task.internal = true;
  if (entry.predatesAgent) task.details = { createdBeforeAgent: true };
  if (entry.untracked) task.details = { createdWhileTrackingPaused: true };
  if (entry.resource) task.details = { ...task.details, keepsEventLoopAlive: entry.resource.keepsAlive };
  if (options.maxStackFrames > 0 && resolved.frames.length > 0) {
    const shown = options.includeInternals
      ? resolved.frames
      : resolved.frames.filter((frame) => !frame.internal);
    task.stack = (shown.length ? shown : resolved.frames).slice(0, options.maxStackFrames).map(toLocation);
    task.stackKind = 'creation';
  }
  return task;
}

function describeHandles(entries: TaskEntry[], options: SnapshotRequest): Handle[] {
  const handles: Handle[] = [];
  for (const entry of entries) {
    if (!entry.resource?.keepsAlive || entry.record === undefined) continue;
    const handle: Handle = { id: entry.record.id, type: entry.type, description: entry.resource.description };
    const { frames, site } = stackOf(entry.record);
    if (site) handle.site = toLocation(site);
    const shown = frames.filter((frame) => !frame.internal);
    if (shown.length && options.maxStackFrames > 0)
      handle.stack = shown.slice(0, options.maxStackFrames).map(toLocation);
    handles.push(handle);
  }
  return handles;
}

/** What a tracking note talks about. */
export interface TrackedKind {
  /** "Promise tracking" */
  subject: string;
  /** "promises", as in "more than 200,000 promises a second" */
  made: string;
  /** "Promises", as in "Promises made meanwhile are listed without creation sites." */
  listed: string;
  /** How to keep every site, or why that is not offered. */
  advice: string;
}

export const PROMISE_TRACKING: TrackedKind = {
  subject: 'Promise tracking',
  made: 'promises',
  listed: 'Promises',
  advice: 'To track every promise whatever it costs, set asyncToolkit.node.creationStacks to "all".',
};

export const RESOURCE_TRACKING: TrackedKind = {
  subject: 'Resource tracking',
  made: 'async resources (timers, process.nextTick callbacks, sockets)',
  listed: 'Timers, sockets and other resources',
  advice: 'To track every resource whatever it costs, set asyncToolkit.node.creationStacks to "all".',
};

/** Tells the user why some tasks have no site: tracking stepped aside under a high rate. */
export function trackingNote(tracking: GovernorReport | undefined, kind: TrackedKind): string | undefined {
  if (tracking === undefined || tracking.pauses === 0) return undefined;
  const rate = tracking.maxPerSecond.toLocaleString('en-US');
  const seconds = `${(tracking.pausedMs / 1000).toFixed(1)} s`;
  const pauses = tracking.pauses === 1 ? 'once' : `${tracking.pauses} times`;
  if (tracking.paused) {
    return `${kind.subject} is paused: the program makes more than ${rate} ${kind.made} a second, and the agent steps aside so that its cost stays low (paused ${pauses}, ${seconds} in all so far). ${kind.listed} made meanwhile are listed without creation sites. ${kind.advice}`;
  }
  return `${kind.subject} paused ${pauses} (${seconds} in all) while the program made more than ${rate} ${kind.made} a second; ${kind.listed.toLowerCase()} made then are listed without creation sites. ${kind.advice}`;
}

function toLocation(frame: Frame): SourceLocation {
  const location: SourceLocation = { file: frame.file, line: frame.line };
  if (frame.column !== undefined) location.column = frame.column;
  if (frame.functionName !== undefined) location.functionName = frame.functionName;
  return location;
}

/**
 * What the promise is, in the words of the code that made it: `async fetchUser` (an async function's
 * own promise), `await in fetchUser` (the promise an `await` suspends on), `new Promise in hangForever`,
 * `.then() in main`, `Promise.all in main`.
 */
export function nameOfPromise(
  derived: boolean,
  builtin: string | undefined,
  functionName: string | undefined,
): string {
  const where = functionName ?? '(anonymous)';
  if (builtin !== undefined) return `${builtin} in ${where}`;
  return derived ? `await in ${where}` : `async ${where}`;
}

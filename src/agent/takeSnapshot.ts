// `snapshot(options)`: collect what is live, describe it as tasks of the documented format
// (docs/snapshot-format.md), filter, aggregate, and attach stacks to the tasks actually sent.

import type { Handle, Snapshot, Task } from '../tasks/model';
import { type CollectContext, collectTasks, stackOf, type TaskEntry } from './collectTasks';
import { pageTasks } from './groupTasks';
import { parseSnapshotOptions, type SnapshotOptions } from './snapshotOptions';
import type { Frame } from './stackFrames';

const SNAPSHOT_FORMAT_VERSION = 1;

export function takeSnapshot(rawOptions: unknown, context: CollectContext): Snapshot {
  const options = parseSnapshotOptions(rawOptions);
  const takenAt = Date.now();
  const snapshot: Snapshot = {
    version: SNAPSHOT_FORMAT_VERSION,
    runtime: 'node',
    pid: process.pid,
    takenAt,
    tasks: [],
  };
  let entries: TaskEntry[];
  try {
    entries = collectTasks(context).entries;
  } catch (error) {
    snapshot.error = `could not list pending tasks: ${error instanceof Error ? error.message : String(error)}`;
    return snapshot;
  }

  // Oldest first — the long-lived tasks are the ones a user looks for — then in creation order.
  entries.sort(byAgeThenCreation);
  const described: Task[] = [];
  const entryOf = new Map<string, TaskEntry>();
  for (const entry of entries) {
    const task = describeTask(entry, takenAt);
    if (task.internal && !options.includeInternals) continue;
    if (options.minAgeMs > 0 && task.ageMs !== undefined && task.ageMs < options.minAgeMs) continue;
    described.push(task);
    entryOf.set(task.id, entry);
  }

  const page = pageTasks(described, options);
  for (const task of page.tasks) {
    const entry = entryOf.get(task.id);
    if (entry) attachStack(task, entry, options);
  }
  snapshot.tasks = page.tasks;
  if (page.groups) snapshot.groups = page.groups;
  if (page.tasks.length < page.totalTasks) {
    snapshot.truncated = { totalTasks: page.totalTasks, sentTasks: page.tasks.length };
  }
  if (options.includeHandles && options.group === undefined)
    snapshot.handles = describeHandles(entries, options);
  return snapshot;
}

function describeTask(entry: TaskEntry, takenAt: number): Task {
  const { record } = entry;
  const task: Task = {
    id: entry.id,
    parentId: entry.parentId,
    type: entry.type,
    state: entry.running ? 'running' : 'pending',
  };
  if (record.createdAt !== undefined) task.ageMs = Math.max(0, takenAt - record.createdAt);
  const { frames, builtin, source, site } = stackOf(record);
  if (site) {
    task.site = toLocation(site);
    if (source !== record) task.siteInherited = true;
    else if (entry.type === 'PROMISE') task.name = nameOfPromise(record.derived, builtin, site.functionName);
  } else if (frames.length > 0) {
    // Only Node's own frames: a promise made by Node's modules on their own behalf.
    task.internal = true;
  }
  if (entry.predatesAgent) {
    task.internal = true;
    task.details = { createdBeforeAgent: true };
  }
  if (entry.resource) {
    task.name = entry.resource.description;
    task.details = { ...task.details, keepsEventLoopAlive: entry.resource.keepsAlive };
  }
  return task;
}

function attachStack(task: Task, entry: TaskEntry, options: SnapshotOptions): void {
  if (options.maxStackFrames === 0) return;
  const { frames } = stackOf(entry.record);
  if (frames.length === 0) return;
  const shown = options.includeInternals ? frames : frames.filter((frame) => !frame.internal);
  task.stack = (shown.length ? shown : frames).slice(0, options.maxStackFrames).map(toLocation);
  task.stackKind = 'creation';
}

function describeHandles(entries: TaskEntry[], options: SnapshotOptions): Handle[] {
  const handles: Handle[] = [];
  for (const entry of entries) {
    if (!entry.resource?.keepsAlive) continue;
    const handle: Handle = { id: entry.id, type: entry.type, description: entry.resource.description };
    const { frames, site } = stackOf(entry.record);
    if (site) handle.site = toLocation(site);
    if (frames.length && options.maxStackFrames > 0) {
      handle.stack = frames
        .filter((frame) => !frame.internal)
        .slice(0, options.maxStackFrames)
        .map(toLocation);
    }
    handles.push(handle);
  }
  return handles;
}

function toLocation(frame: Frame): { file: string; line: number; column?: number; functionName?: string } {
  const location: { file: string; line: number; column?: number; functionName?: string } = {
    file: frame.file,
    line: frame.line,
  };
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

function byAgeThenCreation(a: TaskEntry, b: TaskEntry): number {
  const createdA = a.record.createdAt ?? Number.POSITIVE_INFINITY;
  const createdB = b.record.createdAt ?? Number.POSITIVE_INFINITY;
  if (createdA !== createdB) return createdA < createdB ? -1 : 1;
  return Math.abs(a.record.number) - Math.abs(b.record.number);
}

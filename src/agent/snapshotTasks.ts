// Turns the tasks a snapshot sends into objects of the documented format (docs/snapshot-format.md): ids
// and parents, names, sites and stacks, and the handles that keep the event loop alive. A promise sent
// for the first time gets a record of its own here, so that it keeps its id in every later snapshot.

import type { Handle, SourceLocation, Task } from '../snapshot/format';
import type { SnapshotRequest } from '../snapshot/request';
import type { NumberSource, TaskEntry } from './collectTasks';
import { CreationRecord, formatRecordId, Stamp } from './creationRecord';
import { type Described, nameOf } from './describedTask';
import { stackOf } from './siteResolution';
import type { Frame } from './stackTypes';

/** What shaping a task needs from the agent beyond the task itself. */
export interface SendContext {
  nextNumber: NumberSource;
  /** The tracking period whose stamps the hooks follow (-1: none): a new record joins it. */
  followedPeriod: number;
  showSites: boolean;
}

export function toTask(
  item: Described,
  takenAt: number,
  options: SnapshotRequest,
  context: SendContext,
): Task {
  const { entry, resolved } = item;
  const record = recordForSending(entry, context);
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

/**
 * The record of a task about to be sent: its own, made now if it has none, so that it keeps one id in
 * every later snapshot.
 */
export function recordForSending(entry: TaskEntry, context: SendContext): CreationRecord {
  if (entry.record !== undefined) return entry.record;
  const linked = entry.context;
  // A promise linked to a synchronous run was created during it: the run's time and parent are its own.
  const run = linked?.run === true;
  const record = new CreationRecord(
    context.nextNumber(),
    run ? linked.parentNumber : (linked?.number ?? 0),
    entry.type,
    run ? linked.createdAt : undefined,
    undefined,
    linked,
  );
  // Still pending (collectTasks.ts made sure): the hooks follow it from here, as they did its link.
  record.period = context.followedPeriod;
  if (entry.predatesAgent) record.predatesAgent = true;
  if (entry.untracked) record.untracked = true;
  if (entry.promise !== undefined) {
    try {
      if (Stamp.read(entry.promise) === undefined) Stamp.attach(entry.promise, record);
      else Stamp.replace(entry.promise, record);
    } catch {
      // A frozen promise older than the agent may refuse a new private field (the TC39 proposal that
      // non-extensible objects do): it is sent with a fresh id each time, and nothing else changes.
    }
  }
  entry.record = record;
  return record;
}

/** asyncIds 0 and 1 are "no resource" and the main script: the root, not a task. */
export function parentIdOf(number: number): string | null {
  if (number === 0 || number === -1) return null;
  return formatRecordId(number);
}

export function describeHandles(
  entries: TaskEntry[],
  options: SnapshotRequest,
  showSites: boolean,
): Handle[] {
  const handles: Handle[] = [];
  for (const entry of entries) {
    if (!entry.resource?.keepsAlive || entry.record === undefined) continue;
    const handle: Handle = { id: entry.record.id, type: entry.type, description: entry.resource.description };
    const { frames, site } = showSites ? stackOf(entry.record) : { frames: [] as Frame[], site: undefined };
    if (site) handle.site = toLocation(site);
    const shown = frames.filter((frame) => !frame.internal);
    if (shown.length && options.maxStackFrames > 0)
      handle.stack = shown.slice(0, options.maxStackFrames).map(toLocation);
    handles.push(handle);
  }
  return handles;
}

export function toLocation(frame: Frame): SourceLocation {
  const location: SourceLocation = { file: frame.file, line: frame.line };
  if (frame.column !== undefined) location.column = frame.column;
  if (frame.functionName !== undefined) location.functionName = frame.functionName;
  return location;
}

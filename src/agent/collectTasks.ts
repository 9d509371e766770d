// Turns what is live in the heap into task entries: pending promises (found by prototype, their state
// and record read from the private fields the hooks stamped) and active resources. Frames are read
// only for the records whose site is asked for, once per record.

import { executionAsyncId } from 'node:async_hooks';
import { inspect } from 'node:util';
import { type ActiveResource, describeTimer, listHandlesAndRequests } from './activeResources';
import { CreationRecord, formatRecordId, OWN_RECORD, SETTLED_CONTEXT, Stamp } from './creationRecord';
import { queryObjects } from './heapQuery';
import type { GovernorReport } from './promiseRateGovernor';
import { recordOfResource, rememberResource } from './resourceRecords';
import { type ReadStack, readStack } from './stackFrames';

export interface TaskEntry {
  type: string;
  /** Its own record: resources, and promises that have one (created by synchronous code, or sent before). */
  record: CreationRecord | undefined;
  /**
   * For a promise created inside a promise job and never sent: the record of the job's context. Such a
   * promise gets a record of its own only if a snapshot sends it, so that counting 100 000 of them
   * allocates nothing that outlives the snapshot.
   */
  context: CreationRecord | undefined;
  /** The promise, held for the length of the snapshot so that it can be given a record when sent. */
  promise: object | undefined;
  /** Resources only: what it is, and whether it keeps the event loop alive. */
  resource?: ActiveResource;
  /** Promises that existed before the agent loaded. */
  predatesAgent?: boolean;
  /** Promises without a record once tracking has paused: made during a pause (or, rarely, before the agent). */
  untracked?: boolean;
  /** Its reaction job is running now (the snapshot was taken from inside it). */
  running?: boolean;
}

export interface CollectedTasks {
  entries: TaskEntry[];
  /** Settled promises still referenced, counted but not sent. */
  settledPromises: number;
}

/** Numbers records made at snapshot time (promises first seen now, resources the hooks did not see). */
export type NumberSource = () => number;

let timerPrototype: object | undefined;

/** `Timeout` is not exported by Node; one cleared timer shows its prototype. */
function findTimerPrototype(): object | undefined {
  if (timerPrototype === undefined) {
    try {
      const timer = setTimeout(() => undefined, 0);
      clearTimeout(timer);
      const prototype = Object.getPrototypeOf(timer);
      if (prototype && prototype !== Object.prototype) timerPrototype = prototype as object;
    } catch {}
  }
  return timerPrototype;
}

function hasActiveTimers(): boolean {
  try {
    const info = (process as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo;
    return typeof info !== 'function' || info().includes('Timeout');
  } catch {
    return true;
  }
}

export interface CollectContext {
  nextNumber: NumberSource;
  running: readonly object[];
  /** How promise tracking paused under load, if it ever did. */
  tracking?: GovernorReport;
  /** How resource tracking paused under load, if it ever did. */
  resourceTracking?: GovernorReport;
  /** The agent's own timer (it resumes tracking), left out of what is reported. */
  isOwnTimer?: (timer: object) => boolean;
}

export function collectTasks({ nextNumber, running, tracking, isOwnTimer }: CollectContext): CollectedTasks {
  const everPaused = tracking !== undefined && tracking.pauses > 0;
  // Every heap query costs a full collection and a walk of the heap: look for timers only when Node
  // says there are some.
  const timers = hasActiveTimers() ? findTimerPrototype() : undefined;
  const prototypes: object[] = [Promise.prototype];
  if (timers) prototypes.push(timers);
  const [promises, timerObjects = []] = queryObjects(prototypes);
  const entries: TaskEntry[] = [];
  let settledPromises = 0;

  for (const promise of promises) {
    const value = Stamp.read(promise);
    let entry: TaskEntry;
    if (value === undefined) {
      // Created before the hooks were installed, or while they were paused.
      if (!isPending(promise)) {
        settledPromises += 1;
        continue;
      }
      entry = { type: 'PROMISE', record: undefined, context: undefined, promise };
      if (everPaused) entry.untracked = true;
      else entry.predatesAgent = true;
    } else if (value.kind === OWN_RECORD) {
      if (value.settled || !isPending(promise)) {
        // Remembered, so that later snapshots skip it without looking again.
        value.settled = true;
        settledPromises += 1;
        continue;
      }
      entry = { type: 'PROMISE', record: value, context: undefined, promise };
      if (value.predatesAgent) entry.predatesAgent = true;
      if (value.untracked) entry.untracked = true;
    } else if (value.kind === SETTLED_CONTEXT) {
      settledPromises += 1;
      continue;
    } else {
      if (!isPending(promise)) {
        Stamp.replace(promise, value.counterpart);
        settledPromises += 1;
        continue;
      }
      entry = { type: 'PROMISE', record: undefined, context: value.record, promise };
    }
    if (running.length > 0 && running.includes(promise)) entry.running = true;
    entries.push(entry);
  }

  const resources = listHandlesAndRequests();
  for (const timer of timerObjects) {
    if (isOwnTimer?.(timer)) continue;
    const described = describeTimer(timer);
    if (described) resources.push(described);
  }
  // The timer or socket whose callback takes the snapshot is running, not waiting. (By id: calling
  // `executionAsyncResource()` would switch Node to tracking resources on every callback, for good.)
  const runningAsyncId = executionAsyncId();
  for (const resource of resources) {
    let record = recordOfResource(resource.recordHolder);
    if (record === undefined) {
      const number = resource.asyncId !== undefined ? -resource.asyncId : nextNumber();
      const parent = resource.triggerAsyncId !== undefined ? -resource.triggerAsyncId : 0;
      record = new CreationRecord(number, parent, resource.type, undefined, undefined, undefined);
      rememberResource(resource.recordHolder, record);
    }
    const entry: TaskEntry = {
      type: resource.type || record.type,
      record,
      context: undefined,
      promise: undefined,
      resource,
    };
    if (resource.asyncId !== undefined && resource.asyncId === runningAsyncId) entry.running = true;
    entries.push(entry);
  }
  return { entries, settledPromises };
}

/**
 * The record of a task about to be sent: its own, made now if it has none, so that it keeps one id in
 * every later snapshot.
 */
export function recordForSending(entry: TaskEntry, nextNumber: NumberSource): CreationRecord {
  if (entry.record !== undefined) return entry.record;
  const context = entry.context;
  // A promise linked to a synchronous run was created during it: the run's time and parent are its own.
  const run = context?.run === true;
  const record = new CreationRecord(
    nextNumber(),
    run ? context.parentNumber : (context?.number ?? 0),
    entry.type,
    run ? context.createdAt : undefined,
    undefined,
    context,
  );
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

/**
 * Whether a promise is still pending. JavaScript has no synchronous way to ask; `util.inspect` does
 * (through Node's internals), about a microsecond a promise. That is paid per live promise at snapshot
 * time instead of a `settled` hook on every promise the program ever makes (measured: the hook cost
 * ≈ 10 % of worst-case promise churn). Settled ones are remembered on their stamps, so each is looked at
 * once. Options keep it shallow and side-effect free: no custom inspectors, no proxy traps, no getters.
 */
const inspectOptions = {
  depth: 0,
  customInspect: false,
  showProxy: false,
  getters: false,
  maxArrayLength: 0,
  maxStringLength: 0,
  breakLength: Number.POSITIVE_INFINITY,
} as const;

function isPending(promise: object): boolean {
  try {
    const text = inspect(promise, inspectOptions);
    // "Promise { <pending> }", or "MyPromise [Promise] { <pending> }" for a subclass; a settled promise
    // shows its value (at most a type name and no strings at these options) or "<rejected>".
    const open = text.indexOf('{');
    return open !== -1 && text.startsWith('<pending>', open + 2);
  } catch {
    return false;
  }
}

const NOTHING_READ: ReadStack = { frames: [], builtin: undefined, site: undefined };
const UNRESOLVED: ResolvedStack = { ...NOTHING_READ, source: undefined };

export interface ResolvedStack extends ReadStack {
  /** The record whose stack this is: the task's own, or the ancestor it inherits its site from. */
  source: CreationRecord | undefined;
  /** Group keys of tasks with this site, made once: as their own site, and inherited ("within"). */
  ownKey?: string;
  withinKey?: string;
}

function readOnce(record: CreationRecord): ReadStack {
  if (record.read !== undefined) return record.read;
  if (record.stack === undefined) return NOTHING_READ;
  record.read = readStack(record.stack);
  record.stack = undefined;
  return record.read;
}

/**
 * A record's creation stack: its own, or — when it has none, or one with only Node's frames — that of
 * the nearest ancestor whose stack reaches the user's code. Resolved once per site source and kept
 * there: the thousands of promises that share a context share the answer.
 */
export function stackOf(record: CreationRecord): ResolvedStack {
  const source = record.siteSource;
  if (source === undefined) return UNRESOLVED;
  if (source.resolved !== undefined) return source.resolved;
  let resolved: ResolvedStack = { ...readOnce(source), source };
  for (let candidate = source.fallback; candidate !== undefined && resolved.site === undefined; ) {
    const read = readOnce(candidate);
    if (read.site !== undefined) resolved = { ...read, source: candidate };
    candidate = candidate.fallback;
  }
  source.resolved = resolved;
  return resolved;
}

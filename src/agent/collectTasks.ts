// Lists what is live and pending at snapshot time: the pending promises (found on the heap by
// prototype, their state and record read from the stamps the hooks keep) and the active resources.
// A promise's stamp says pending only as long as the hooks that follow it have been installed without a
// break (its tracking period, promiseTracker.ts); the state of every other promise — made before the
// agent, during a pause, or stamped before one — is asked of V8 once, and stamped for the next snapshot.

import {
  type ActiveResource,
  describeTimer,
  isTimerPrototype,
  listHandlesAndRequests,
} from './activeResources';
import {
  type ContextLink,
  CreationRecord,
  OWN_RECORD,
  pendingLinkOf,
  SETTLED_CONTEXT,
  Stamp,
} from './creationRecord';
import { type PromiseState, promiseStates, queryLiveObjects } from './heapQuery';
import { activeResourceTypes, executionAsyncId, ReflectGetPrototypeOf, SafeSet } from './intrinsics';
import type { GovernorReport } from './promiseRateGovernor';
import { recordOfResource, rememberResource } from './resourceRecords';

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
  /** Made by `await` or `.then()` on another promise, as far as the hooks saw. */
  derived?: boolean;
}

export interface CollectedTasks {
  entries: TaskEntry[];
  /** Settled promises still referenced, counted but not sent. */
  settledPromises: number;
  /** This walk's number: every promise with a record of its own that it found alive carries it. */
  walk: number;
}

/** Heap walks for promises so far: what `seenAlive` is compared with. */
let walks = 0;

/** Numbers records made at snapshot time (promises first seen now, resources the hooks did not see). */
export type NumberSource = () => number;

export interface CollectContext {
  nextNumber: NumberSource;
  running: readonly object[];
  /** The tracking period whose stamps the hooks keep up to date (-1: none, see promiseTracker.ts). */
  followedPeriod: number;
  /** How promise tracking paused under load, if it ever did. */
  tracking?: GovernorReport;
  /** How resource tracking paused under load, if it ever did. */
  resourceTracking?: GovernorReport;
  /** The agent's own timer (it resumes tracking), left out of what is reported. */
  isOwnTimer?: (timer: object) => boolean;
}

/**
 * What promises the hooks never saw are linked to once a snapshot found them pending: their context,
 * which says why they have no record. Number 0, like the unknown context: promises made in their jobs
 * get records of their own.
 */
export const BEFORE_AGENT = new CreationRecord(0, 0, 'PROMISE', undefined, undefined, undefined);
BEFORE_AGENT.predatesAgent = true;
export const DURING_PAUSE = new CreationRecord(0, 0, 'PROMISE', undefined, undefined, undefined);
DURING_PAUSE.untracked = true;
const SETTLED_UNSEEN: ContextLink = pendingLinkOf(BEFORE_AGENT, 0).counterpart;

let timerPrototype: object | undefined;

/** `Timeout` is not exported by Node: its prototype is recognised among the live objects, once. */
function timersAmong(objects: readonly object[]): object[] {
  const timers: object[] = [];
  const rejected: Set<object> = new SafeSet();
  for (const object of objects) {
    const prototype = ReflectGetPrototypeOf(object) as object | null;
    if (prototype === null) continue;
    if (timerPrototype === undefined) {
      if (rejected.has(prototype)) continue;
      if (!isTimerPrototype(prototype, object)) {
        rejected.add(prototype);
        continue;
      }
      timerPrototype = prototype;
    }
    if (prototype === timerPrototype) timers.push(object);
  }
  return timers;
}

function hasActiveTimers(): boolean {
  try {
    return activeResourceTypes()?.includes('Timeout') ?? true;
  } catch {
    return true;
  }
}

/** A promise whose state must be asked of V8, and what its stamp was. */
interface Unconfirmed {
  promise: object;
  stamp: CreationRecord | ContextLink | undefined;
}

export function collectTasks(context: CollectContext): CollectedTasks {
  const { running, followedPeriod, tracking, isOwnTimer, nextNumber } = context;
  const everPaused = tracking !== undefined && tracking.pauses > 0;
  // Every heap query costs a full collection and a walk of the heap: look for timers only when Node
  // says there are some.
  const { promises, others } = queryLiveObjects(hasActiveTimers());
  const entries: TaskEntry[] = [];
  const unconfirmed: Unconfirmed[] = [];
  let settledPromises = 0;

  walks += 1;
  const walk = walks;
  for (const promise of promises) {
    const value = Stamp.read(promise);
    if (value === undefined) {
      unconfirmed.push({ promise, stamp: undefined });
    } else if (value.kind === OWN_RECORD) {
      // Alive after the walk's full collection: a watched promise not marked so was collected.
      value.seenAlive = walk;
      if (value.settled) settledPromises += 1;
      else if (followedPeriod >= 0 && value.period === followedPeriod)
        entries.push(promiseEntry(promise, value));
      else unconfirmed.push({ promise, stamp: value });
    } else if (value.kind === SETTLED_CONTEXT) {
      settledPromises += 1;
    } else if (followedPeriod >= 0 && value.period === followedPeriod) {
      entries.push(promiseEntry(promise, value));
    } else {
      unconfirmed.push({ promise, stamp: value });
    }
  }

  let states: (PromiseState | undefined)[] = [];
  try {
    states = promiseStates(unconfirmed.map((item) => item.promise));
  } catch {
    // The state stays unknown: such promises are listed rather than hidden.
  }
  for (let index = 0; index < unconfirmed.length; index++) {
    const { promise, stamp } = unconfirmed[index];
    const state = states[index];
    if (state === 'fulfilled' || state === 'rejected') {
      settledPromises += 1;
      markSettled(promise, stamp);
      continue;
    }
    const confirmed =
      state === 'pending' ? confirmPending(promise, stamp, followedPeriod, everPaused) : stamp;
    entries.push(promiseEntry(promise, confirmed ?? unseenLink(everPaused, followedPeriod)));
  }
  for (const entry of entries)
    if (running.length > 0 && running.includes(entry.promise as object)) entry.running = true;

  entries.push(...resourceEntries(timersAmong(others), isOwnTimer, nextNumber));
  return { entries, settledPromises, walk };
}

/** The link that says why a promise has no record: made before the agent, or during a pause. */
function unseenLink(everPaused: boolean, period: number): ContextLink {
  return pendingLinkOf(everPaused ? DURING_PAUSE : BEFORE_AGENT, period);
}

function promiseEntry(promise: object, stamp: CreationRecord | ContextLink): TaskEntry {
  if (stamp.kind === OWN_RECORD) {
    const entry: TaskEntry = { type: 'PROMISE', record: stamp, context: undefined, promise };
    if (stamp.predatesAgent) entry.predatesAgent = true;
    if (stamp.untracked) entry.untracked = true;
    return entry;
  }
  const record = stamp.record;
  const entry: TaskEntry = { type: 'PROMISE', record: undefined, context: record, promise };
  if (stamp.isDerived) entry.derived = true;
  if (record.predatesAgent) entry.predatesAgent = true;
  if (record.untracked) entry.untracked = true;
  return entry;
}

/** Remembers a settled promise as settled, so that later snapshots skip it without asking again. */
function markSettled(promise: object, stamp: CreationRecord | ContextLink | undefined): void {
  try {
    if (stamp === undefined) Stamp.attach(promise, SETTLED_UNSEEN);
    else if (stamp.kind === OWN_RECORD) stamp.settled = true;
    else Stamp.replace(promise, stamp.counterpart);
  } catch {
    // A frozen promise may refuse a new private field: it is asked again next time.
  }
}

/**
 * Stamps a promise V8 says is pending with the tracking period that follows it now, so that the next
 * snapshot trusts the hooks about it. Returns the stamp it now has.
 */
function confirmPending(
  promise: object,
  stamp: CreationRecord | ContextLink | undefined,
  followedPeriod: number,
  everPaused: boolean,
): CreationRecord | ContextLink {
  if (followedPeriod < 0) return stamp ?? unseenLink(everPaused, followedPeriod);
  try {
    if (stamp === undefined) {
      const link = unseenLink(everPaused, followedPeriod);
      Stamp.attach(promise, link);
      return link;
    }
    if (stamp.kind === OWN_RECORD) {
      stamp.period = followedPeriod;
      return stamp;
    }
    const pending = pendingLinkOf(stamp.record, followedPeriod);
    const link = stamp.isDerived ? pending.derived : pending;
    Stamp.replace(promise, link);
    return link;
  } catch {
    return stamp ?? unseenLink(everPaused, followedPeriod);
  }
}

function resourceEntries(
  timerObjects: readonly object[],
  isOwnTimer: ((timer: object) => boolean) | undefined,
  nextNumber: NumberSource,
): TaskEntry[] {
  const resources = listHandlesAndRequests();
  for (const timer of timerObjects) {
    if (isOwnTimer?.(timer)) continue;
    const described = describeTimer(timer);
    if (described) resources.push(described);
  }
  // The timer or socket whose callback takes the snapshot is running, not waiting. (By id: calling
  // `executionAsyncResource()` would switch Node to tracking resources on every callback, for good.)
  const runningAsyncId = executionAsyncId();
  const entries: TaskEntry[] = [];
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
  return entries;
}

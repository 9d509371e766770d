// Follows promises with `v8.promiseHooks`, the cheapest hook V8 offers (an empty `async_hooks` init
// alone costs about 2×; see PLATFORM.md). The hot path is a promise created inside a promise job — an
// `async` function resuming after `await` creates several — and there the default mode does one thing:
// it stamps the new promise with the job's context record (one private-field store), which gives the
// promise a parent and an inherited site without allocating. Promises created by synchronous code (the
// main script, timer and I/O callbacks) are rarer and usually the long-lived ones; they get a record of
// their own and, within the capture budget, a creation stack.
//
// Hooks cost the same per promise whatever they do, so a program making promises faster than the
// governor allows (promiseRateGovernor.ts) has them removed for a while and put back to look again:
// the agent's cost stays bounded at any promise rate. What a pause loses is the records of the promises
// made during it; they are still found at snapshot time.

import { executionAsyncId } from 'node:async_hooks';
import type { CaptureBudget } from './captureBudget';
import { stackOf } from './collectTasks';
import {
  type ContextLink,
  CreationRecord,
  OWN_RECORD,
  PENDING_CONTEXT,
  pendingLinkOf,
  recordOfStamp,
  Stamp,
} from './creationRecord';
import type { CreationStackMode } from './creationStackMode';
import type { GovernorReport, PromiseRateGovernor } from './promiseRateGovernor';
import { captureStack } from './stackFrames';
import { TrackingSwitch } from './trackingSwitch';

/** Stands for "created in a job whose context the agent never saw" (before it loaded). */
export const UNKNOWN_CONTEXT = new CreationRecord(0, 0, 'PROMISE', undefined, undefined, undefined);

export interface PromiseTracker {
  /** Numbers the next record; shared with records made at snapshot time. */
  nextNumber(): number;
  /** The context record of the promise job running now, if one is. */
  currentJobContext(): CreationRecord | undefined;
  /**
   * The promises whose reaction jobs are running now, innermost last: what a snapshot taken from a
   * breakpoint inside an `async` function calls `running`. Held only while their jobs run.
   */
  runningPromises(): readonly object[];
  /** The timer that resumes tracking after a pause: the agent's own, never reported. */
  isOwnTimer(timer: object): boolean;
  /** How the governor has paused tracking; undefined where it never does (`all` mode). */
  tracking(): GovernorReport | undefined;
  stop(): void;
}

interface PromiseHooksApi {
  createHook(hooks: {
    init?: (promise: Promise<unknown>, parent?: Promise<unknown>) => void;
    before?: (promise: Promise<unknown>) => void;
    after?: (promise: Promise<unknown>) => void;
    settled?: (promise: Promise<unknown>) => void;
  }): () => void;
}

/** The record that describes what a promise's reactions run in: its own, or its context's. */
export function contextOf(target: object): CreationRecord | undefined {
  const value = Stamp.read(target);
  return value === undefined ? undefined : recordOfStamp(value);
}

const UNKNOWN_LINK = pendingLinkOf(UNKNOWN_CONTEXT);

/**
 * Whether a context's site, as far as it is known, lies in Node's own code. Read once per record that
 * has a stack (those are budgeted), and only when a job runs in its context.
 */
function isNodeInternal(record: CreationRecord): boolean {
  const source = record.siteSource;
  if (source === undefined || (source.stack === undefined && source.read === undefined)) return false;
  if (source.internalOnly === undefined) {
    const { site, frames } = stackOf(source);
    source.internalOnly = site === undefined && frames.length > 0;
  }
  return source.internalOnly;
}

export function startPromiseTracker(
  promiseHooks: PromiseHooksApi,
  mode: CreationStackMode,
  budget: CaptureBudget,
  /**
   * Where resources have records (Node 24+): the record of the timer or socket whose callback runs,
   * the best site there is for what the callback creates ("within the setInterval callback at
   * server.js:18").
   */
  callbackRecord: (() => CreationRecord | undefined) | undefined,
  /** Pauses tracking at high promise rates; none in `all` mode, where every stack was asked for. */
  governor: PromiseRateGovernor | undefined,
): PromiseTracker {
  let counter = 0;
  const everyPromiseOwnsARecord = mode === 'all';
  const stackEveryPromise = mode === 'all';
  const stackWithinBudget = mode === 'sampled';
  // Depth of promise jobs being run (`before` … `after`), and the context record of each.
  let depth = 0;
  let current: CreationRecord | undefined;
  // The pending link of `current`, ready for the promises the job creates.
  let currentLink: ContextLink = UNKNOWN_LINK;
  // Whether the running job's context is Node's own code (the ES module loader evaluating the main
  // module, for one): promises made there are treated like those of synchronous code, with records
  // and stacks of their own, since inheriting a site from Node's internals would say nothing.
  let opaqueContext = false;
  // The one test `init` makes on the hot path: inside a job, in a context worth inheriting from, and not
  // in `all` mode — then the promise gets the context's link and nothing else.
  let linkOnly = false;
  // The promise whose job runs now: held only while it runs.
  let runningPromise: Promise<unknown> | undefined;
  // Saved state of outer jobs while a nested one runs, four entries per job (see `before`).
  const outer: (Promise<unknown> | CreationRecord | ContextLink | boolean | undefined)[] = [];

  // The synchronous run (a callback, the main script, an opaque job) that promises without stacks of
  // their own are linked to: one record per run, made by its first such promise, carrying the run's
  // time, its parent (the resource whose callback runs) and its inherited site. A run ends when a job
  // starts or another resource's callback runs.
  let currentRunLink: ContextLink | undefined;
  let runAsyncId = -1;
  let runEpoch = -1;
  let epoch = 0;

  function runLink(): ContextLink {
    const asyncId = executionAsyncId();
    if (currentRunLink !== undefined && asyncId === runAsyncId && runEpoch === epoch) return currentRunLink;
    let inheritFrom = depth > 0 ? current : undefined;
    if (inheritFrom === undefined && callbackRecord !== undefined) inheritFrom = callbackRecord();
    counter += 1;
    const parentNumber = depth > 0 && current !== undefined ? current.number : -asyncId;
    const record = new CreationRecord(counter, parentNumber, 'PROMISE', Date.now(), undefined, inheritFrom);
    record.run = true;
    currentRunLink = pendingLinkOf(record);
    runAsyncId = asyncId;
    runEpoch = epoch;
    return currentRunLink;
  }

  // Promises left in the governor's current window: one decrement per promise, the clock once per window.
  // Infinite until the tracking switch exists, so that no early promise reaches it.
  let untilWindowEnd = Number.POSITIVE_INFINITY;

  function init(promise: Promise<unknown>, parent?: Promise<unknown>): void {
    try {
      if (--untilWindowEnd === 0) {
        untilWindowEnd = tracking.windowSize;
        tracking.windowEnded();
      }
      if (linkOnly) {
        Stamp.attach(promise, currentLink);
        return;
      }
      if (!(stackEveryPromise || (stackWithinBudget && budget.take()))) {
        // No stack for this one (past the budget, or `off`): a link to the record of the synchronous
        // run it belongs to, shared by every such promise of the run — an I/O callback makes several.
        Stamp.attach(promise, runLink());
        return;
      }
      const parentRecord = parent === undefined ? undefined : contextOf(parent);
      const context = depth > 0 ? current : undefined;
      // Outside jobs the parent is the resource whose callback runs (a timer, a socket): `r<asyncId>`.
      const parentNumber = parentRecord?.number ?? context?.number ?? -executionAsyncId();
      counter += 1;
      Stamp.attach(
        promise,
        new CreationRecord(
          counter,
          parentNumber,
          'PROMISE',
          Date.now(),
          captureStack(init),
          parentRecord ?? context,
          parent !== undefined,
        ),
      );
    } catch {
      // A promise the agent cannot stamp is still found at snapshot time, only without its record.
    }
  }

  function before(promise: Promise<unknown>): void {
    // Jobs almost never nest (a job would have to run the microtask queue); only then is the outer
    // job's state saved, so that the common case writes a few variables and no array.
    if (depth > 0) outer.push(runningPromise, current, currentLink, opaqueContext);
    else epoch += 1;
    depth += 1;
    runningPromise = promise;
    const value = Stamp.read(promise);
    if (value === undefined) {
      current = undefined;
      currentLink = UNKNOWN_LINK;
    } else if (value.kind === OWN_RECORD) {
      current = value;
      currentLink = value.link ?? pendingLinkOf(value);
    } else {
      current = value.record;
      currentLink = value.kind === PENDING_CONTEXT ? value : value.counterpart;
    }
    // Worked out once per context and kept on its link: this runs for every job.
    let opaque = currentLink.opaque;
    if (opaque === undefined) {
      opaque = current === undefined || current === UNKNOWN_CONTEXT || isNodeInternal(current);
      // Decided only once the answer is final: a record whose stack is not read yet may still be read.
      if (current !== undefined) currentLink.opaque = opaque;
    }
    opaqueContext = opaque;
    linkOnly = !opaque && !everyPromiseOwnsARecord;
  }

  function after(): void {
    if (depth === 0) return;
    depth -= 1;
    if (depth === 0) {
      runningPromise = undefined;
      current = undefined;
      currentLink = UNKNOWN_LINK;
      opaqueContext = false;
      linkOnly = false;
    } else {
      opaqueContext = outer.pop() as boolean;
      linkOnly = !opaqueContext && !everyPromiseOwnsARecord;
      currentLink = outer.pop() as ContextLink;
      current = outer.pop() as CreationRecord | undefined;
      runningPromise = outer.pop() as Promise<unknown> | undefined;
    }
  }

  // No `settled` hook: whether a promise is still pending is asked at snapshot time, of the promises
  // that are still alive (collectTasks.ts, isPending) — cheaper than a hook call on every settlement.
  const installHooks = () => promiseHooks.createHook({ init, before, after });
  let removeHooks = installHooks();
  const tracking = new TrackingSwitch(
    governor,
    () => removeHooks(),
    () => {
      // A timer callback runs outside every promise job: whatever `before` saw when the hooks were
      // removed mid-job is forgotten, and the next synchronous run starts a record of its own.
      depth = 0;
      outer.length = 0;
      runningPromise = undefined;
      current = undefined;
      currentLink = UNKNOWN_LINK;
      opaqueContext = false;
      linkOnly = false;
      currentRunLink = undefined;
      epoch += 1;
      untilWindowEnd = tracking.windowSize;
      removeHooks = installHooks();
    },
  );
  untilWindowEnd = tracking.windowSize;

  return {
    nextNumber() {
      counter += 1;
      return counter;
    },
    currentJobContext() {
      return depth > 0 ? current : undefined;
    },
    runningPromises() {
      const promises: object[] = [];
      for (let i = 0; i < outer.length; i += 4) if (outer[i] !== undefined) promises.push(outer[i] as object);
      if (runningPromise !== undefined) promises.push(runningPromise);
      return promises;
    },
    tracking() {
      return tracking.report();
    },
    stop() {
      tracking.stop();
    },
    isOwnTimer(timer: object) {
      return tracking.owns(timer);
    },
  };
}

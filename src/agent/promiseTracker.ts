// Follows promises with `v8.promiseHooks`, the cheapest hook V8 offers (an empty `async_hooks` init
// alone costs about 2×; see PLATFORM.md). The hot path is a promise created inside a promise job — an
// `async` function resuming after `await` creates several — and there the default mode does one thing:
// it stamps the new promise with the job's context link (one private-field store), which gives the
// promise a parent and an inherited site without allocating. Promises created by synchronous code (the
// main script, timer and I/O callbacks) are rarer and usually the long-lived ones; they get a record of
// their own and, within the capture budget, a creation stack.
//
// The `settled` hook turns a promise's stamp to its settled form (one private-field store), so that a
// snapshot knows which promises are pending without asking V8 about each — asking is what ran the
// program's code before (`util.inspect`), and the inspector's way costs ≈ 15 µs a promise.
//
// Hooks cost the same per promise whatever they do, so a program making promises faster than the
// governor allows (promiseRateGovernor.ts) has them removed for a while and put back to look again:
// the agent's cost stays bounded at any promise rate. What a pause loses is the records of the promises
// made during it and the settlements during it; the promises are still found at snapshot time, and
// each installation of the hooks starts a new tracking *period*: stamps of an earlier period are checked
// with V8 before a snapshot trusts them.
//
// Every hook body is guarded: nothing the agent does can throw into the program (a hook that throws
// is an uncaught exception in Node).

import type { PromiseHooks } from 'node:v8';
import type { CaptureBudget } from './captureBudget';
import {
  type ContextLink,
  CreationRecord,
  contextLinkOf,
  contextOf,
  pendingLinkOf,
  recordOfStamp,
  Stamp,
  settleStamp,
  UNKNOWN_CONTEXT,
} from './creationRecord';
import type { CreationStackMode } from './creationStackMode';
import { DateNow, executionAsyncId } from './intrinsics';
import type { GovernorReport, PromiseRateGovernor } from './promiseRateGovernor';
import { isNodeContext } from './siteResolution';
import { captureStack } from './stackCapture';
import { TrackingSwitch } from './trackingSwitch';

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
  /**
   * The tracking period whose stamps the hooks keep up to date now; -1 while they are removed (a pause,
   * or stopped), when no stamp can be trusted.
   */
  followedPeriod(): number;
  /** The timer that resumes tracking after a pause: the agent's own, never reported. */
  isOwnTimer(timer: object): boolean;
  /** How the governor has paused tracking; undefined where it never does (`all` mode). */
  tracking(): GovernorReport | undefined;
  stop(): void;
}

/** `v8.promiseHooks` (Node 16.14+). */
export type PromiseHooksApi = Pick<PromiseHooks, 'createHook'>;

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
  // Incremented each time the hooks are installed (see the header).
  let period = 1;
  const everyPromiseOwnsARecord = mode === 'all';
  const stackEveryPromise = mode === 'all';
  // `off` shows no sites, but still captures within the budget: a stack is the only way to tell the
  // promises of Node's own code (the ES module loader's) from the program's.
  const stackWithinBudget = mode !== 'all';
  // Depth of promise jobs being run (`before` … `after`), and the context record of each.
  let depth = 0;
  let current: CreationRecord | undefined;
  // The pending link of `current`, ready for the promises the job creates.
  let currentLink: ContextLink = pendingLinkOf(UNKNOWN_CONTEXT, period);
  // Whether the running job's context is Node's own code (the ES module loader evaluating the main
  // module, for one): promises made there are treated like those of synchronous code, with records
  // and stacks of their own, since inheriting a site from Node's internals would say nothing.
  let opaqueContext = false;
  // The one test `init` makes on the hot path: inside a job, in a context worth inheriting from, and not
  // in `all` mode — then the promise gets the context's link and nothing else.
  let linkOnly = false;
  // The promise whose job runs now: held only while it runs.
  let runningPromise: Promise<unknown> | undefined;
  // Saved state of outer jobs while a nested one runs, four entries per job (see `before`); written by
  // index rather than `push`/`pop`, which the program may have replaced.
  const outer: (Promise<unknown> | CreationRecord | ContextLink | boolean | undefined)[] = [];
  let outerLength = 0;

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
    const record = new CreationRecord(counter, parentNumber, 'PROMISE', DateNow(), undefined, inheritFrom);
    record.run = true;
    currentRunLink = pendingLinkOf(record, period);
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
      const parentRecord = parent === undefined ? undefined : contextOf(parent);
      const context = depth > 0 ? current : undefined;
      // Outside jobs the parent is the resource whose callback runs (a timer, a socket): `r<asyncId>`.
      const parentNumber = parentRecord?.number ?? context?.number ?? -executionAsyncId();
      const withStack = stackEveryPromise || (stackWithinBudget && budget.take());
      // No stack for this one (past the budget): a link to the record of the synchronous run it belongs
      // to, shared by every such promise of the run — an I/O callback makes several. An `await` or
      // `.then()` keeps the promise it follows as its parent, in a small record of its own.
      const run = withStack ? undefined : runLink();
      if (run !== undefined && parent === undefined) {
        Stamp.attach(promise, run);
        return;
      }
      counter += 1;
      const record = new CreationRecord(
        counter,
        parentNumber,
        'PROMISE',
        run === undefined ? DateNow() : run.record.createdAt,
        run === undefined ? captureStack(init) : undefined,
        parentRecord ?? (run === undefined ? context : run.record),
        parent !== undefined,
      );
      record.period = period;
      Stamp.attach(promise, record);
    } catch {
      // A promise the agent cannot stamp is still found at snapshot time, only without its record.
    }
  }

  function before(promise: Promise<unknown>): void {
    // Jobs almost never nest (a job would have to run the microtask queue); only then is the outer
    // job's state saved, so that the common case writes a few variables and no array.
    if (depth > 0) {
      outer[outerLength++] = runningPromise;
      outer[outerLength++] = current;
      outer[outerLength++] = currentLink;
      outer[outerLength++] = opaqueContext;
    } else {
      epoch += 1;
    }
    depth += 1;
    runningPromise = promise;
    try {
      const value = Stamp.read(promise);
      current = value === undefined ? undefined : recordOfStamp(value);
      // The link of this period that promises made by the job carry (a stamp's link is usually it).
      const link = contextLinkOf(value, period);
      currentLink = link;
      // Worked out once per context and kept on its link: this runs for every job.
      let opaque = link.opaque;
      if (opaque === undefined) {
        // Number 0: the unknown context, or one of the markers of promises the hooks never saw
        // (collectTasks.ts): nothing to inherit, so what their jobs make gets records of its own.
        opaque = current === undefined || current.number === 0 || isNodeContext(current);
        // Decided only once the answer is final: a record whose stack is not read yet may still be read.
        if (current !== undefined) link.opaque = opaque;
      }
      opaqueContext = opaque;
      linkOnly = !opaque && !everyPromiseOwnsARecord;
    } catch {
      current = undefined;
      currentLink = pendingLinkOf(UNKNOWN_CONTEXT, period);
      opaqueContext = true;
      linkOnly = false;
    }
  }

  function after(): void {
    try {
      if (depth === 0) return;
      depth -= 1;
      if (depth === 0) {
        runningPromise = undefined;
        current = undefined;
        opaqueContext = false;
        linkOnly = false;
      } else {
        opaqueContext = outer[--outerLength] as boolean;
        linkOnly = !opaqueContext && !everyPromiseOwnsARecord;
        currentLink = outer[--outerLength] as ContextLink;
        current = outer[--outerLength] as CreationRecord | undefined;
        runningPromise = outer[--outerLength] as Promise<unknown> | undefined;
        outer[outerLength] = undefined;
        outer[outerLength + 1] = undefined;
      }
    } catch {}
  }

  function settled(promise: Promise<unknown>): void {
    try {
      settleStamp(promise);
    } catch {}
  }

  const installHooks = () => promiseHooks.createHook({ init, before, after, settled });
  let removeHooks = installHooks();
  let stopped = false;
  const tracking = new TrackingSwitch(
    governor,
    () => removeHooks(),
    () => {
      // A timer callback runs outside every promise job: whatever `before` saw when the hooks were
      // removed mid-job is forgotten, and the next synchronous run starts a record of its own.
      depth = 0;
      for (let index = 0; index < outerLength; index++) outer[index] = undefined;
      outerLength = 0;
      runningPromise = undefined;
      current = undefined;
      opaqueContext = false;
      linkOnly = false;
      currentRunLink = undefined;
      epoch += 1;
      period += 1;
      currentLink = pendingLinkOf(UNKNOWN_CONTEXT, period);
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
      for (let i = 0; i < outerLength; i += 4) if (outer[i] !== undefined) promises.push(outer[i] as object);
      if (runningPromise !== undefined) promises.push(runningPromise);
      return promises;
    },
    followedPeriod() {
      return !stopped && tracking.isOn ? period : -1;
    },
    tracking() {
      return tracking.report();
    },
    stop() {
      stopped = true;
      tracking.stop();
    },
    isOwnTimer(timer: object) {
      return tracking.owns(timer);
    },
  };
}

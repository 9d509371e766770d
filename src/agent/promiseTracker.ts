// Follows promises with `v8.promiseHooks`, the cheapest hook V8 offers (an empty `async_hooks` init
// alone doubles the cost of promise churn). The hot path is a promise created inside a promise job (an
// `async` function resuming after `await` creates several): the default mode stamps it with the job's
// context link (one private-field store), a parent and an inherited site without allocating; only one
// made by `new` or a call (what operations wait on) takes a stack from the capture budget. Promises of
// synchronous code (main script, timer and I/O callbacks) are rarer and usually the long-lived ones:
// they get a record of their own and, within the budget, a creation stack.
//
// The `settled` hook turns a promise's stamp to its settled form (one private-field store): a snapshot
// knows which promises are pending without asking V8 (the inspector's way costs ≈ 15 µs a promise).
//
// Hooks cost the same per promise whatever they do, so a program making promises faster than the
// governor allows (promiseRateGovernor.ts) has them removed for a while and put back to look again:
// the agent's cost stays bounded at any promise rate. What a pause loses is the records of the promises
// made during it and the settlements during it; the promises are still found at snapshot time, and each
// installation of the hooks starts a tracking *period*: older stamps are checked with V8 before use.
//
// Every hook body is guarded: nothing the agent does can throw into the program (a hook that throws
// is an uncaught exception in Node).

import type { CaptureBudget } from './captureBudget';
import {
  type ContextLink,
  CreationRecord,
  chainRecordOf,
  contextLinkOf,
  contextOf,
  flowRootOf,
  pendingLinkOf,
  recordOfStamp,
  Stamp,
  settleStamp,
  UNKNOWN_CONTEXT,
} from './creationRecord';
import type { CreationStackMode } from './creationStackMode';
import { DateNow, executionAsyncId } from './intrinsics';
import { OperationLinks } from './operationLinks';
import type { OrphanWatch } from './orphanWatch';
import { OuterJobs } from './outerJobs';
import type { PromiseRateGovernor } from './promiseRateGovernor';
import type { PromiseHooksApi, PromiseTracker } from './promiseTrackerApi';
import { isNodeContext } from './siteResolution';
import { captureStack } from './stackCapture';
import { TrackingSwitch } from './trackingSwitch';

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
  /** Notes captured leaves collected while pending (orphanWatch.ts). */
  orphans?: OrphanWatch,
): PromiseTracker {
  let counter = 0;
  let period = 1; // incremented each time the hooks are installed (see the header)
  const everyPromiseOwnsARecord = mode === 'all';
  // `off` shows no sites, but still captures within the budget: a stack is the only way to tell the
  // promises of Node's own code (the ES module loader's) from the program's.
  const stackWithinBudget = mode !== 'all';
  // In `sampled` mode promises made inside jobs by `new` or a call get stacks too, within the budget:
  // they are what operations wait on (operationLinks.ts). `off` shows no stacks, so it takes none there.
  const captureInJobs = mode === 'sampled';
  const derivedReserve = budget.burst / 2;
  // What a new operation leaves in the bucket for those already begun with a stack: a request whose
  // first calls were captured takes the rest of its calls and leaves from it, so that the budget running
  // out cuts between operations, not through one (which would show it as two rows: its captured calls,
  // and its later promises known only by their context). A request makes a few; this covers dozens in
  // flight at once.
  const continuationReserve = budget.burst / 32;
  const links = new OperationLinks();
  let depth = 0; // Depth of promise jobs being run (`before` … `after`), and the context record of each.
  let current: CreationRecord | undefined;
  let currentLink: ContextLink = pendingLinkOf(UNKNOWN_CONTEXT, period); // `current`'s, for what the job makes
  // Whether the running job's context is Node's own code (the ES module loader, for one): promises made
  // there get records and stacks of their own, as in synchronous code (Node's site would say nothing).
  let opaqueContext = false;
  // The test `init` makes first: inside a job, in a context worth inheriting from, not in `all` mode.
  let linkOnly = false;
  let runningPromise: Promise<unknown> | undefined; // whose job runs now: held only while it runs
  const outer = new OuterJobs();

  // The synchronous run (callback, main script, opaque job) promises without stacks are linked to: one
  // record per run, made by its first such promise, with the run's time, parent (the resource whose
  // callback runs) and inherited site. It ends when a job starts or another callback runs.
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
    if (depth > 0 && current !== undefined && current.number !== 0) {
      record.continues = flowRootOf(current);
    }
    record.startedAt = depth > 0 && !opaqueContext ? current?.startedAt : record.createdAt;
    currentRunLink = pendingLinkOf(record, period);
    runAsyncId = asyncId;
    runEpoch = epoch;
    return currentRunLink;
  }

  // How a synchronous run's new promises share the budget: its first one decides, as the run began an
  // operation or went on with one. A run begun with a stack may empty the bucket (so its operation ends
  // with stacks, one row); one begun without stays without, even if the bucket refills while it runs
  // (its operation stays one row known by its context, not split into two). Runs are told apart by
  // resource and epoch, as `runLink` tells them.
  let decidedRunAsyncId = -1;
  let decidedRunEpoch = -1;
  let decidedRunCaptures = false;

  function syncPromiseTakesStack(): boolean {
    const asyncId = executionAsyncId();
    if (asyncId === decidedRunAsyncId && epoch === decidedRunEpoch)
      return decidedRunCaptures && budget.take(true, 0);
    decidedRunAsyncId = asyncId;
    decidedRunEpoch = epoch;
    decidedRunCaptures = budget.take(true, continuationReserve);
    return decidedRunCaptures;
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
      links.promiseMade();
      if (linkOnly) {
        if (parent !== undefined) {
          // An `await` on a captured async call or combinator: within the budget, a stack says where.
          const target = captureInJobs ? links.awaitTarget(parent) : undefined;
          const step = target && budget.take() ? recordPromise(promise, parent, true) : undefined;
          if (step === undefined) Stamp.attach(promise, currentLink.derived);
          else step.awaits = target;
          links.derived(parent, true);
          return;
        }
        // Made by `new` or a call inside a job: the leaf a chain waits on, or an async call. Within the
        // budget it gets a stack, whose async frames are the whole chain as it waits (operations.ts).
        const reserve = continuesCapture(current) ? 0 : continuationReserve;
        if (captureInJobs && budget.take(false, reserve)) recordPromise(promise, undefined, true);
        else Stamp.attach(promise, currentLink);
        return;
      }
      if (parent !== undefined) links.derived(parent, depth > 0);
      // An `await` or `.then()` in synchronous code says only where it is, which the promise it follows
      // and the stack of the leaf its chain reaches say too: it takes a stack only while the bucket is
      // more than half full, so that under load the budget goes to the calls and leaves operations are
      // made of (a server's 1 000 requests in flight: 256 exact operations without this, 420 with).
      const withStack =
        everyPromiseOwnsARecord ||
        (stackWithinBudget &&
          (parent !== undefined
            ? budget.take(depth === 0, derivedReserve)
            : depth === 0
              ? syncPromiseTakesStack()
              : budget.take(false, continuationReserve)));
      const record = recordPromise(promise, parent, withStack);
      if (record?.stack !== undefined && parent !== undefined) record.awaits = links.awaitTarget(parent);
    } catch {} // A promise the agent cannot stamp is still found at snapshot time, without its record.
  }

  /** A job's context began with a stack: what it makes continues an operation already captured. */
  function continuesCapture(context: CreationRecord | undefined): boolean {
    if (context === undefined) return false;
    const own = chainRecordOf(context);
    return own.siteSource === own;
  }

  function recordPromise(
    promise: Promise<unknown>,
    parent: Promise<unknown> | undefined,
    withStack: boolean,
  ): CreationRecord | undefined {
    const parentRecord = parent === undefined ? undefined : contextOf(parent);
    const context = depth > 0 ? current : undefined;
    // Outside jobs the parent is the resource whose callback runs (a timer, a socket): `r<asyncId>`.
    const parentNumber = parentRecord?.number ?? context?.number ?? -executionAsyncId();
    // No stack for this one (past the budget): a link to the record of the synchronous run it belongs
    // to, shared by every such promise of the run — an I/O callback makes several. An `await` or
    // `.then()` keeps the promise it follows as its parent, in a small record of its own.
    const run = withStack ? undefined : runLink();
    if (run !== undefined && parent === undefined) {
      Stamp.attach(promise, run);
      return undefined;
    }
    counter += 1;
    const stack = run === undefined ? captureStack(init) : undefined;
    const record = new CreationRecord(
      counter,
      parentNumber,
      'PROMISE',
      run === undefined ? DateNow() : run.record.createdAt,
      stack,
      parentRecord ?? (run === undefined ? context : run.record),
      parent !== undefined,
    );
    record.period = period;
    // A job continues the operation of its context; synchronous code (and Node's own jobs) starts one.
    record.startedAt =
      context !== undefined && !opaqueContext
        ? context.startedAt
        : (run?.record.startedAt ?? record.createdAt);
    // A leaf or call captured in a job whose chain began past the budget (the bucket refilled in
    // between) names that chain: a leaf's operation then stands for it (flowContinuations.ts), and what
    // is made in its context later joins the chain's row, as the chain's own promises do.
    if (stack !== undefined && parent === undefined) {
      if (context !== undefined && context.number !== 0 && !continuesCapture(context))
        record.continues = flowRootOf(context);
      if (links.captured(record, stack.builtin) !== 'step') orphans?.watch(promise, record);
    } else if (parentRecord !== undefined) record.context = parentRecord.context ?? parentRecord;
    Stamp.attach(promise, record);
    return record;
  }

  function before(promise: Promise<unknown>): void {
    // Jobs almost never nest (a job would have to run the microtask queue): only then is state saved.
    if (depth > 0) outer.save({ promise: runningPromise, current, link: currentLink, opaque: opaqueContext });
    else epoch += 1;
    links.jobBoundary();
    depth += 1;
    runningPromise = promise;
    try {
      const value = Stamp.read(promise);
      current = value === undefined ? undefined : recordOfStamp(value);
      if (everyPromiseOwnsARecord) {
        // `all` stamps no links: making them for every context only grew the heap snapshots walk.
        opaqueContext = current === undefined || current.number === 0 || isNodeContext(current);
        linkOnly = false;
        return;
      }
      // The link of this period that promises made by the job carry (a stamp's link is usually it).
      const link = contextLinkOf(value, period);
      currentLink = link;
      // Worked out once per context and kept on its link: this runs for every job.
      let opaque = link.opaque;
      if (opaque === undefined) {
        // Number 0: the unknown context, or a marker of promises the hooks never saw (collectTasks.ts).
        opaque = current === undefined || current.number === 0 || isNodeContext(current);
        if (current !== undefined) link.opaque = opaque; // final once decided
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
      links.jobBoundary();
      if (depth === 0) return;
      depth -= 1;
      if (depth === 0) outsideJobs();
      else {
        const state = outer.restore();
        opaqueContext = state?.opaque ?? true;
        linkOnly = !opaqueContext && !everyPromiseOwnsARecord;
        currentLink = state?.link ?? pendingLinkOf(UNKNOWN_CONTEXT, period);
        current = state?.current;
        runningPromise = state?.promise;
      }
    } catch {}
  }

  function outsideJobs(): void {
    runningPromise = undefined;
    current = undefined;
    opaqueContext = false;
    linkOnly = false;
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
      outer.clear();
      outsideJobs();
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
    executorLeaf() {
      return links.executorLeaf;
    },
    runningPromises() {
      const promises = outer.promises();
      if (runningPromise !== undefined) promises[promises.length] = runningPromise;
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

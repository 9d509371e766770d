// Follows promises with `v8.promiseHooks`, the cheapest hook V8 offers (an empty `async_hooks` init
// alone costs about 2×; see PLATFORM.md). The hot path is a promise created inside a promise job — an
// `async` function resuming after `await` creates several — and there the default mode does one thing:
// it stamps the new promise with the job's context record (one private-field store), which gives the
// promise a parent and an inherited site without allocating. Promises created by synchronous code (the
// main script, timer and I/O callbacks) are rarer and usually the long-lived ones; they get a record of
// their own and, within the capture budget, a creation stack.

import { executionAsyncId, executionAsyncResource } from 'node:async_hooks';
import type { CaptureBudget } from './captureBudget';
import { ContextStamp, CreationRecord, OwnRecordStamp, SettledContext } from './creationRecord';
import type { CreationStackMode } from './creationStackMode';
import { captureStack } from './stackFrames';

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
export function contextOf(promise: object): CreationRecord | undefined {
  const own = OwnRecordStamp.read(promise);
  if (own !== undefined) return own;
  const context = ContextStamp.read(promise);
  if (context === undefined) return undefined;
  return context instanceof SettledContext ? context.context : context;
}

export function startPromiseTracker(
  promiseHooks: PromiseHooksApi,
  mode: CreationStackMode,
  budget: CaptureBudget,
): PromiseTracker {
  let counter = 0;
  // Depth of promise jobs being run (`before` … `after`), and the context record of each.
  let depth = 0;
  const contexts: (CreationRecord | undefined)[] = [];
  let current: CreationRecord | undefined;
  const running: (Promise<unknown> | undefined)[] = [];

  function init(promise: Promise<unknown>, parent?: Promise<unknown>): void {
    try {
      if (depth > 0 && mode !== 'all') {
        ContextStamp.attach(promise, current ?? UNKNOWN_CONTEXT);
        return;
      }
      const parentRecord = parent === undefined ? undefined : contextOf(parent);
      const context = depth > 0 ? current : undefined;
      // Outside jobs the parent is the resource whose callback runs (a timer, a socket): `r<asyncId>`.
      const parentNumber = parentRecord?.number ?? context?.number ?? -executionAsyncId();
      const stack = mode === 'all' || (mode === 'sampled' && budget.take()) ? captureStack(init) : undefined;
      let inheritFrom = parentRecord ?? context;
      if (stack === undefined && inheritFrom === undefined) {
        // Past the budget, outside any job: the timer or socket whose callback runs is the next best
        // site ("within the setInterval callback at server.js:18"), where resources have records.
        const resource = executionAsyncResource();
        if (resource !== null && typeof resource === 'object') inheritFrom = OwnRecordStamp.read(resource);
      }
      counter += 1;
      const record = new CreationRecord(counter, parentNumber, 'PROMISE', Date.now(), stack, inheritFrom);
      if (parent !== undefined) record.derived = true;
      OwnRecordStamp.attach(promise, record);
    } catch {
      // A promise the agent cannot stamp is still found at snapshot time, only without its record.
    }
  }

  function before(promise: Promise<unknown>): void {
    contexts[depth] = current;
    running[depth] = promise;
    depth += 1;
    current = contextOf(promise);
  }

  function after(): void {
    if (depth === 0) return;
    depth -= 1;
    current = contexts[depth];
    contexts[depth] = undefined;
    running[depth] = undefined;
  }

  function settled(promise: Promise<unknown>): void {
    const own = OwnRecordStamp.read(promise);
    if (own !== undefined) own.settled = true;
    else ContextStamp.markSettled(promise);
  }

  const stop = promiseHooks.createHook({ init, before, after, settled });
  return {
    nextNumber() {
      counter += 1;
      return counter;
    },
    currentJobContext() {
      return depth > 0 ? current : undefined;
    },
    runningPromises() {
      return running.slice(0, depth).filter((promise) => promise !== undefined);
    },
    stop() {
      stop();
    },
  };
}

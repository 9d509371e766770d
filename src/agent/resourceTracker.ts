// Creation sites of timers, sockets, servers and other async resources, from `async_hooks` — only where
// Node can leave promises out of it (`createHook({ trackPromises: false })`, Node 24 and later). On
// older Node every `async_hooks` hook also hooks every promise, which alone doubles the cost of promise
// churn, so there the agent finds resources at snapshot time instead, with their types but no sites.
//
// Every `async_hooks` init costs, and a busy server makes several resources per request (a `TickObject`
// per `process.nextTick`, timers re-armed per socket): like promise tracking, resource tracking steps
// aside for a while when resources come faster than its governor allows. Resources made during a pause
// are still listed at snapshot time, with their types and descriptions but no sites.

import type * as asyncHooks from 'node:async_hooks';
import type { CaptureBudget } from './captureBudget';
import { CreationRecord } from './creationRecord';
import type { CreationStackMode } from './creationStackMode';
import {
  createAsyncHook,
  DateNow,
  executionAsyncId,
  ReflectApply,
  ReflectGetPrototypeOf,
} from './intrinsics';
import type { GovernorReport, PromiseRateGovernor } from './promiseRateGovernor';
import { RecentRecords } from './recentRecords';
import { rememberResource } from './resourceRecords';
import { captureStack } from './stackCapture';
import type { CapturedStack } from './stackTypes';
import { TrackingSwitch } from './trackingSwitch';

/**
 * Whether `createHook` knows `trackPromises`, found without enabling anything: Node versions that know
 * it reject a non-boolean value; older ones ignore it. (Enabling a hook to see whether promises reach
 * it would be no test at all: on older Node, disabling the promise hook waits for a microtask, so the
 * main script would run with `async_hooks` promise tracking on — ids stamped on every promise.)
 */
function supportsTrackPromises(): boolean {
  try {
    createAsyncHook({ init() {}, trackPromises: 'probe' } as unknown as asyncHooks.HookCallbacks);
    return false;
  } catch {
    return true;
  }
}

/** Resources whose records a callback can find by asyncId (held weakly: see recentRecords.ts). */
const RECENT_RESOURCES = 4096;

export interface ResourceTracker {
  /** The record of the resource whose callback runs now, if the tracker saw it made. */
  recordOfCallback(): CreationRecord | undefined;
  /** How the governor has paused resource tracking; undefined where it never does (`all` mode). */
  tracking(): GovernorReport | undefined;
  /** The timer that resumes tracking after a pause: the agent's own, never reported. */
  isOwnTimer(timer: object): boolean;
  stop(): void;
}

/** Started only when it can leave promises out; undefined on Node versions that cannot. */
/**
 * The `new Promise` whose executor may still run, unless the resource's stack shows that the function
 * that made the promise has returned: "until the next promise is made" overshoots when nothing made one
 * after it (p-queue's `add` returned, then the program's own `setTimeout` ran). That function — the first
 * frame of the promise's stack — is on the stack of whatever its executor makes, or of what it makes
 * right after (`timers/promises` makes its timer next to its `Promise.withResolvers`).
 */
function madeInExecutor(
  stack: CapturedStack | undefined,
  leaf: CreationRecord | undefined,
): CreationRecord | undefined {
  const caller = leaf?.stack?.frames[0];
  if (leaf === undefined || stack === undefined || caller === undefined) return leaf;
  for (let index = 0; index < stack.frames.length; index++) {
    const frame = stack.frames[index];
    if (frame === caller || (frame.file === caller.file && frame.functionName === caller.functionName))
      return leaf;
  }
  return undefined;
}

export function startResourceTracker(
  mode: CreationStackMode,
  budget: CaptureBudget,
  currentJobContext: () => CreationRecord | undefined,
  /** The `new Promise` whose executor runs now, if any: what a timer or socket made there is waited on. */
  executorLeaf: () => CreationRecord | undefined,
  /** Pauses tracking when resources come too fast; none in `all` mode. */
  governor: PromiseRateGovernor | undefined,
): ResourceTracker | undefined {
  if (!supportsTrackPromises()) return undefined;
  const recent = new RecentRecords(RECENT_RESOURCES);
  // Resources left in the governor's current window (set once the switch exists).
  let untilWindowEnd = Number.POSITIVE_INFINITY;

  function init(asyncId: number, type: string, triggerAsyncId: number, resource: object): void {
    if (type === 'PROMISE') return;
    try {
      if (--untilWindowEnd === 0) {
        untilWindowEnd = tracking.windowSize;
        tracking.windowEnded();
      }
      if (resource === null || typeof resource !== 'object') return;
      // A resource without a stack inherits the site of the promise job or the callback creating it.
      const inherited = currentJobContext() ?? recent.recall(executionAsyncId());
      // `nextTick` objects are many and short-lived: they get a stack of their own only where there is
      // no context to inherit one from (the main script), so that what runs in them finds its way back.
      const wantsStack =
        (type !== 'TickObject' || inherited?.siteSource === undefined) &&
        (mode === 'all' || (mode === 'sampled' && budget.take()));
      const stack = wantsStack ? captureStack(init) : undefined;
      const record = new CreationRecord(-asyncId, -triggerAsyncId, type, DateNow(), stack, inherited);
      // A socket connected in a `nextTick` after `http.get` inside an executor still belongs to its promise.
      const leaf = madeInExecutor(stack, executorLeaf()) ?? inherited?.leaf;
      if (leaf !== undefined) record.leaf = leaf;
      rememberResource(resource, record);
      recent.remember(asyncId, record);
    } catch {
      // Unstamped resources are still listed at snapshot time.
    }
  }

  let hook: asyncHooks.AsyncHook;
  let enable: () => unknown;
  let disable: () => unknown;
  try {
    hook = createAsyncHook({ init, trackPromises: false } as asyncHooks.HookCallbacks);
    // `enable` and `disable` as Node made them, taken now: the switch calls them later.
    ({ enable, disable } = ReflectGetPrototypeOf(hook) as asyncHooks.AsyncHook);
    ReflectApply(enable, hook, []);
  } catch {
    return undefined;
  }
  const tracking = new TrackingSwitch(
    governor,
    () => ReflectApply(disable, hook, []),
    () => {
      untilWindowEnd = tracking.windowSize;
      ReflectApply(enable, hook, []);
    },
  );
  untilWindowEnd = tracking.windowSize;

  return {
    recordOfCallback: () => recent.recall(executionAsyncId()),
    tracking: () => tracking.report(),
    isOwnTimer: (timer) => tracking.owns(timer),
    stop: () => tracking.stop(),
  };
}

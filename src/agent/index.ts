// The Node agent: loaded into the user's program with `node --require /abs/dist/agent.js`, usually
// through NODE_OPTIONS set by the debug configuration provider. It installs promise and resource hooks
// and exposes `globalThis.__asyncToolkit`, which the view calls through DAP `evaluate`:
//   __asyncToolkit.snapshotJson({ groupBy: 'default' })   → the snapshot as a JSON string
// Format: docs/snapshot-format.md. This file only installs; nothing here may throw into the program.

import { withBuiltinsAsLoaded } from './builtinGuard';
import { CaptureBudget } from './captureBudget';
import {
  CREATION_STACKS_VARIABLE,
  type CreationStackMode,
  parseCreationStackMode,
} from './creationStackMode';
import { followFetchRequests } from './fetchRequests';
import { HAND_OFF_PROPERTY, handOff, heapQueryAvailable, inspectorOpen } from './heapQuery';
import {
  DateNow,
  globalObject,
  JSONStringify,
  ObjectFreeze,
  processId,
  ReflectDefineProperty,
} from './intrinsics';
import { OrphanWatch } from './orphanWatch';
import {
  DEFAULT_GOVERNOR_LIMITS,
  type GovernorReport,
  PromiseRateGovernor,
  RESOURCE_GOVERNOR_LIMITS,
} from './promiseRateGovernor';
import { startPromiseTracker } from './promiseTracker';
import type { PromiseTracker } from './promiseTrackerApi';
import { type ResourceTracker, startResourceTracker } from './resourceTracker';
import { refusedSnapshot, takeSnapshot } from './takeSnapshot';

/** The agent's own version, independent of the snapshot format's. */
export const AGENT_VERSION = '1.0.0';

/**
 * Captures at once, and per second after that (see captureBudget.ts for why). A capture costs about
 * 8 µs without a debugger (churn in `all` mode): 2 000 a second is under 2 % of one core at most, and
 * measured no cost on HTTP throughput or churn, with or without a debugger, on Node 20 and 24
 * (BENCHMARKS.md, "capture budget"); at 200 a second an HTTP server under steady load had exact stacks
 * for 3–6 % of its requests in flight, at 2 000 for about two thirds.
 */
const CAPTURE_BURST = 2000;
const CAPTURES_PER_SECOND = 2000;
/** Orphan watches (a weak cell each, and a callback when collected) keep the earlier, lower rate. */
const WATCHES_PER_SECOND = 200;
/**
 * For tests and benchmarks only: the refill rate of the capture budgets (`0`: the burst and nothing
 * after, so that a test spending the budget is not undone by a refill on a slow machine).
 */
const CAPTURE_RATE_VARIABLE = 'ASYNC_TOOLKIT_CAPTURES_PER_SECOND';

function captureRate(warnings: string[]): number {
  const text = process.env[CAPTURE_RATE_VARIABLE];
  if (text === undefined || text === '') return CAPTURES_PER_SECOND;
  const rate = Number(text);
  if (Number.isFinite(rate) && rate >= 0) return rate;
  warnings.push(
    `${CAPTURE_RATE_VARIABLE}=${JSON.stringify(text)} is not a rate; using ${CAPTURES_PER_SECOND}`,
  );
  return CAPTURES_PER_SECOND;
}

export interface AgentApi {
  readonly version: string;
  /** Cheap: tells a caller the agent is loaded and how it runs. */
  ping(): {
    version: string;
    pid: number;
    mode: CreationStackMode;
    resourceSites: boolean;
    /** Whether and for how long promise tracking paused under a high promise rate. */
    tracking: GovernorReport | undefined;
    /** The same for timers, sockets and other resources (Node 24+). */
    resourceTracking: GovernorReport | undefined;
    warnings: string[];
  };
  snapshot(options?: unknown): unknown;
  snapshotJson(options?: unknown): string;
  /** Removes the hooks (for tests and benchmarks); snapshots keep working on what is left. */
  stop(): void;
}

const GLOBAL_NAME = '__asyncToolkit';

function install(): void {
  // Loaded twice (NODE_OPTIONS and an explicit --require, or a child that inherits both): one is enough.
  if (Reflect.getOwnPropertyDescriptor(globalObject, GLOBAL_NAME) !== undefined) return;

  const warnings: string[] = [];
  const parsed = parseCreationStackMode(process.env[CREATION_STACKS_VARIABLE]);
  if (parsed.warning) warnings.push(parsed.warning);
  const mode = parsed.mode;
  const rate = captureRate(warnings);
  const budget = new CaptureBudget(CAPTURE_BURST, rate, DateNow);

  let promises: PromiseTracker | undefined;
  // Registrations have a budget of their own: in `all` mode every leaf has a stack.
  const orphans = new OrphanWatch(
    new CaptureBudget(CAPTURE_BURST, WATCHES_PER_SECOND, DateNow),
    () => promises?.followedPeriod() ?? -1,
  );
  // `all` asked for every stack whatever it costs: only the other modes step aside under load.
  const governed = mode !== 'all';
  // Timers and sockets have a budget of their own: sharing one, a server's sockets, requests and timers
  // took most of it, and only 28 of 1 000 requests in flight had exact stacks (Node 24; 254 apart).
  let resources: ResourceTracker | undefined = startResourceTracker(
    mode,
    new CaptureBudget(CAPTURE_BURST, rate, DateNow),
    () => promises?.currentJobContext(),
    () => promises?.executorLeaf(),
    governed ? new PromiseRateGovernor(RESOURCE_GOVERNOR_LIMITS, DateNow, inspectorOpen) : undefined,
  );
  if (!resources) warnings.push('timers, sockets and servers have no creation sites before Node.js 24');
  const v8 = require('node:v8') as { promiseHooks?: Parameters<typeof startPromiseTracker>[0] };
  if (v8.promiseHooks && typeof v8.promiseHooks.createHook === 'function') {
    const governor = governed
      ? new PromiseRateGovernor(DEFAULT_GOVERNOR_LIMITS, DateNow, inspectorOpen)
      : undefined;
    const callbackRecord = resources ? () => resources?.recordOfCallback() : undefined;
    // `off` shows no stacks: no findings either, so nothing to watch.
    const watch = mode === 'off' ? undefined : orphans;
    promises = startPromiseTracker(v8.promiseHooks, mode, budget, callbackRecord, governor, watch);
  } else {
    warnings.push('v8.promiseHooks is not available in this Node.js: promises have no creation sites');
  }
  // What each pending fetch asks for, and its phase (fetchRequests.ts).
  const diagnosticsChannel = require('node:diagnostics_channel') as { subscribe?: unknown };
  followFetchRequests(diagnosticsChannel, () => promises?.executorLeaf());
  if (!heapQueryAvailable()) warnings.push('no inspector module: pending promises cannot be listed');

  let fallbackNumber = 1e12;
  const nextNumber = () => (promises ? promises.nextNumber() : ++fallbackNumber);
  // Sites are shown in every mode but `off`, which captures stacks only to tell Node's promises apart.
  const showSites = mode !== 'off';
  const snapshotContext = () => ({
    nextNumber,
    showSites,
    followedPeriod: promises?.followedPeriod() ?? -1,
    running: promises?.runningPromises() ?? [],
    tracking: promises?.tracking(),
    resourceTracking: resources?.tracking(),
    orphans: (walk: number | undefined) => {
      if (walk !== undefined) orphans.sweep(walk);
      return orphans.report();
    },
    isOwnTimer: (timer: object) =>
      promises?.isOwnTimer(timer) === true || resources?.isOwnTimer(timer) === true,
  });

  const api: AgentApi = {
    version: AGENT_VERSION,
    ping: () => ({
      version: AGENT_VERSION,
      pid: processId,
      mode,
      resourceSites: resources !== undefined,
      tracking: promises?.tracking(),
      resourceTracking: resources?.tracking(),
      warnings,
    }),
    // With the built-ins as they were at load: a snapshot runs none of the program's replacements.
    snapshot: (options) =>
      withBuiltinsAsLoaded(() => takeSnapshot(options, snapshotContext()), refusedSnapshot),
    snapshotJson: (options) =>
      withBuiltinsAsLoaded(
        () => JSONStringify(takeSnapshot(options, snapshotContext())),
        (property) => JSONStringify(refusedSnapshot(property)),
      ),
    stop: () => {
      promises?.stop();
      resources?.stop();
      promises = undefined;
      resources = undefined;
    },
  };
  // How the in-process inspector passes objects to and from the agent (heapQuery.ts): not enumerable.
  ReflectDefineProperty(api, HAND_OFF_PROPERTY, { value: handOff, enumerable: false });
  // Not enumerable: `Object.keys(globalThis)` and anything that walks globals see the program unchanged.
  ReflectDefineProperty(globalObject, GLOBAL_NAME, {
    value: ObjectFreeze(api),
    enumerable: false,
    configurable: true,
  });
}

try {
  install();
} catch {
  // The agent is a guest: whatever went wrong, the program runs as if it had not been loaded.
}

// What the promise tracker (promiseTracker.ts) offers the rest of the agent, and what it needs of V8.
import type { PromiseHooks } from 'node:v8';
import type { CreationRecord } from './creationRecord';
import type { GovernorReport } from './promiseRateGovernor';

export interface PromiseTracker {
  /** Numbers the next record; shared with records made at snapshot time. */
  nextNumber(): number;
  /** The context record of the promise job running now, if one is. */
  currentJobContext(): CreationRecord | undefined;
  /** The `new Promise` whose executor may be running now: resources it makes are what it waits on. */
  executorLeaf(): CreationRecord | undefined;
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

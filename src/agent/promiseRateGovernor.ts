// Decides when promise tracking steps aside. Promise hooks cost a fixed amount per promise (measured
// ≈ 30–60 ns: an empty `v8.promiseHooks` init alone makes worst-case churn 1.5–1.9× slower), so their
// share of a program's time grows with its promise rate. Below a rate the hooks cost under about 1 % and
// stay on, which is every program a person steps through; above it they are paused for a while and
// resumed to look again, so that the agent's cost stays bounded whatever the program does. Promises made
// during a pause are still found at snapshot time (from the heap), only without a creation site.
//
// Under a debugger every call from V8 into a hook costs far more (measured ≈ 1 µs with js-debug's async
// stacks: empty hooks took 4.4 % of an HTTP server making 44 000 promises a second), so while the
// inspector is open the limit is ten times lower.
//
// The hot path only counts: the clock is read once per window of promises, never per promise.

export interface GovernorLimits {
  /** Promises per window: the clock is read once per window. */
  windowSize: number;
  /** Above this many promises per second (sustained over `windowsToPause` windows), tracking pauses. */
  maxPerSecond: number;
  /** The same while a debugger can be attached (the inspector is open). */
  maxPerSecondUnderDebugger: number;
  windowsToPause: number;
  /** How long a pause lasts before tracking resumes and the rate is measured again. */
  pauseMs: number;
}

/** Promises: below 200 000 a second the hooks cost about 1 % of a core at most. */
export const DEFAULT_GOVERNOR_LIMITS: GovernorLimits = {
  windowSize: 8192,
  maxPerSecond: 200_000,
  maxPerSecondUnderDebugger: 20_000,
  windowsToPause: 2,
  pauseMs: 2000,
};

/**
 * Async resources (Node 24+): an `async_hooks` init costs more than a promise hook (≈ 90 ns bare, and
 * the tracker's record on top), and a busy server makes several per request (a `TickObject` per
 * `process.nextTick`): a lower limit.
 */
export const RESOURCE_GOVERNOR_LIMITS: GovernorLimits = {
  windowSize: 4096,
  maxPerSecond: 50_000,
  maxPerSecondUnderDebugger: 5_000,
  windowsToPause: 2,
  pauseMs: 2000,
};

export interface GovernorReport {
  /** Promises per second above which tracking pauses (the limit in force at the last window). */
  maxPerSecond: number;
  /** Tracking is paused now. */
  paused: boolean;
  /** Times tracking paused since the agent loaded. */
  pauses: number;
  /** Milliseconds spent paused since the agent loaded, the current pause included. */
  pausedMs: number;
}

export class PromiseRateGovernor {
  private windowStart: number;
  private fastWindows = 0;
  private pausedAt: number | undefined;
  private pauses = 0;
  private pausedTotal = 0;
  private limit: number;

  constructor(
    readonly limits: GovernorLimits = DEFAULT_GOVERNOR_LIMITS,
    private readonly now: () => number = Date.now,
    /** Whether a debugger can be attached now; asked once per window. */
    private readonly underDebugger: () => boolean = () => false,
  ) {
    this.windowStart = now();
    this.limit = limits.maxPerSecond;
  }

  /**
   * Called by the tracker after every `windowSize` promises; true when tracking should pause now (the
   * governor then counts as paused until `resumed`).
   */
  windowFilled(): boolean {
    const now = this.now();
    const elapsed = now - this.windowStart;
    this.windowStart = now;
    this.limit = this.underDebugger() ? this.limits.maxPerSecondUnderDebugger : this.limits.maxPerSecond;
    // Faster than the limit: fewer milliseconds than the window would take at the limit.
    const fast = elapsed * this.limit < this.limits.windowSize * 1000;
    this.fastWindows = fast ? this.fastWindows + 1 : 0;
    if (this.fastWindows < this.limits.windowsToPause) return false;
    this.fastWindows = 0;
    this.pausedAt = now;
    this.pauses += 1;
    return true;
  }

  /** Tracking runs again: the next window is measured from now. */
  resumed(): void {
    const now = this.now();
    if (this.pausedAt !== undefined) this.pausedTotal += Math.max(0, now - this.pausedAt);
    this.pausedAt = undefined;
    this.windowStart = now;
    this.fastWindows = 0;
  }

  get paused(): boolean {
    return this.pausedAt !== undefined;
  }

  report(): GovernorReport {
    const current = this.pausedAt === undefined ? 0 : Math.max(0, this.now() - this.pausedAt);
    return {
      maxPerSecond: this.limit,
      paused: this.paused,
      pauses: this.pauses,
      pausedMs: this.pausedTotal + current,
    };
  }
}

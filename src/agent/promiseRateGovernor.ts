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
//
// Under sustained load each resume is a look that costs a window of hooked promises, and every
// promise stamped then carries a second hidden class into the program's code. So a look that finds the
// program still too busy pauses at once (one fast window is enough right after a resume) and the
// pauses lengthen, doubling up to `maxPauseMs`; a slow window brings them back to `pauseMs`. Long pauses
// must not keep sites away once the load is gone: the switch asks every `pauseMs` whether the event
// loop was busy meanwhile (its utilization, which needs no hooks), and an idle loop ends the pause.

export interface GovernorLimits {
  /** Promises per window: the clock is read once per window. */
  windowSize: number;
  /** Above this many promises per second (sustained over `windowsToPause` windows), tracking pauses. */
  maxPerSecond: number;
  /** The same while a debugger can be attached (the inspector is open). */
  maxPerSecondUnderDebugger: number;
  windowsToPause: number;
  /**
   * How long a first pause lasts before tracking resumes and the rate is measured again; also how often
   * a longer pause asks whether the event loop went quiet.
   */
  pauseMs: number;
  /** The longest pause, reached by doubling while every look finds the program still too busy. */
  maxPauseMs: number;
}

/** Promises: below 200 000 a second the hooks cost about 1 % of a core at most. */
export const DEFAULT_GOVERNOR_LIMITS: GovernorLimits = {
  windowSize: 8192,
  maxPerSecond: 200_000,
  maxPerSecondUnderDebugger: 20_000,
  windowsToPause: 2,
  pauseMs: 2000,
  maxPauseMs: 16_000,
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
  maxPauseMs: 16_000,
};

/** Above this share of its time busy, the event loop is still under the load that paused tracking. */
export const BUSY_LOOP_UTILIZATION = 0.5;

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
  /** How long the current (or next) pause lasts. */
  private pauseLength: number;
  /** Tracking has just resumed and its first window is not measured yet. */
  private lookingAgain = false;

  constructor(
    readonly limits: GovernorLimits = DEFAULT_GOVERNOR_LIMITS,
    private readonly now: () => number = Date.now,
    /** Whether a debugger can be attached now; asked once per window. */
    private readonly underDebugger: () => boolean = () => false,
  ) {
    this.windowStart = now();
    this.limit = limits.maxPerSecond;
    this.pauseLength = limits.pauseMs;
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
    const lookingAgain = this.lookingAgain;
    this.lookingAgain = false;
    if (!fast) {
      this.fastWindows = 0;
      this.pauseLength = this.limits.pauseMs;
      return false;
    }
    this.fastWindows += 1;
    if (!lookingAgain && this.fastWindows < this.limits.windowsToPause) return false;
    // Still too busy on the first look after a pause: the next pause is longer.
    this.pauseLength = lookingAgain
      ? Math.min(this.pauseLength * 2, this.limits.maxPauseMs)
      : this.limits.pauseMs;
    this.fastWindows = 0;
    this.pausedAt = now;
    this.pauses += 1;
    return true;
  }

  /**
   * Asked every `pauseMs` while paused: true when tracking should resume now — the pause has lasted its
   * length, or the event loop was not busy since the last ask (the load that paused tracking is gone).
   */
  resumeDue(loopBusy: boolean): boolean {
    if (this.pausedAt === undefined) return false;
    // A timer may fire a little early by this clock; a millisecond's slack keeps pauses whole.
    return !loopBusy || this.now() - this.pausedAt + 1 >= this.pauseLength;
  }

  /** How long the current pause lasts (or the next one, while tracking runs). */
  get currentPauseMs(): number {
    return this.pauseLength;
  }

  /** Tracking runs again: the next window is measured from now. */
  resumed(): void {
    const now = this.now();
    if (this.pausedAt !== undefined) this.pausedTotal += Math.max(0, now - this.pausedAt);
    this.pausedAt = undefined;
    this.windowStart = now;
    this.fastWindows = 0;
    this.lookingAgain = true;
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

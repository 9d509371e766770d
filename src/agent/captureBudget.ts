// A token bucket for stack captures. A stack costs tens of times the promise it describes; an HTTP
// server creates every request's promises outside promise jobs, so "a stack for everything created by
// synchronous code" cut a server to a quarter of its throughput in a prototype. The
// bucket gives a program's start-up (and any quiet program) a stack for everything, and caps a busy
// one at a rate whose cost nobody notices. Long-lived tasks are what a user looks for, and they are
// created early or rarely, so they almost always fall inside the budget.

export class CaptureBudget {
  private tokens: number;
  private refilledAt: number;
  /** Calls left before the clock is read again while the bucket is empty. */
  private callsBeforeClock = 0;

  /**
   * @param burst captures available at once (and at start)
   * @param perSecond captures added back per second, up to `burst`
   * @param now a millisecond clock (injectable for tests)
   */
  constructor(
    readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.refilledAt = now();
  }

  /**
   * Takes one capture from the budget; false when it is spent.
   * @param readClock look at the clock whenever the bucket is empty: for synchronous code (a callback's
   *   promises), which is rare next to promise jobs and often follows a quiet spell the bucket has
   *   refilled in since its last look.
   * @param reserve captures the bucket keeps for other callers: the take succeeds only while more than
   *   this many are left.
   */
  take(readClock = false, reserve = 0): boolean {
    if (this.tokens >= 1 + reserve) {
      this.tokens -= 1;
      return true;
    }
    // Otherwise only look at the clock once the bucket is empty, and then only every 64th call: a
    // clock read per promise made in a job would cost more than the captures it limits.
    if (this.callsBeforeClock > 0 && !readClock) {
      this.callsBeforeClock -= 1;
      return false;
    }
    this.callsBeforeClock = 63;
    const now = this.now();
    const elapsed = now - this.refilledAt;
    if (elapsed <= 0) return false;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.perSecond) / 1000);
    this.refilledAt = now;
    if (this.tokens >= 1 + reserve) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}

// Turns a tracker's hooks off when its governor says the program is too busy, and back on after the
// pause: the one mechanism both trackers (promises, resources) use. The resume timer is made at the
// first pause and re-armed after that, unref'd so that it never keeps the program alive, and known to
// the snapshot so that the agent's own timer is never reported as the program's.

import type { GovernorReport, PromiseRateGovernor } from './promiseRateGovernor';

export class TrackingSwitch {
  private on = true;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param governor none in `all` mode: tracking never pauses
   * @param turnOff removes the hooks (called at most once per pause)
   * @param turnOn puts them back; may throw, and tracking then stays paused
   */
  constructor(
    private readonly governor: PromiseRateGovernor | undefined,
    private readonly turnOff: () => void,
    private readonly turnOn: () => void,
  ) {}

  /** Promises (or resources) per window; the tracker calls `windowEnded` after each. */
  get windowSize(): number {
    return this.governor === undefined ? Number.POSITIVE_INFINITY : this.governor.limits.windowSize;
  }

  windowEnded(): void {
    const governor = this.governor;
    if (governor === undefined || !this.on || !governor.windowFilled()) return;
    // Off before the timer is made: the timer's own creation must not reach the hooks.
    this.turnOff();
    this.on = false;
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.resume(), governor.limits.pauseMs);
      this.timer.unref();
    } else {
      this.timer.refresh();
    }
  }

  private resume(): void {
    try {
      if (this.stopped || this.on) return;
      this.governor?.resumed();
      this.turnOn();
      this.on = true;
    } catch {
      // Tracking stays paused; snapshots still list what the program holds, without sites.
    }
  }

  /** For good: the hooks off, the timer cancelled. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.on) this.turnOff();
    this.on = false;
  }

  owns(timer: object): boolean {
    return timer === this.timer;
  }

  report(): GovernorReport | undefined {
    return this.governor?.report();
  }
}

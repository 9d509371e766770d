// Turns a tracker's hooks off when its governor says the program is too busy, and back on after the
// pause: the one mechanism both trackers (promises, resources) use. The resume timer is made at the
// first pause and re-armed after that, unref'd so that it never keeps the program alive, and known to
// the snapshot so that the agent's own timer is never reported as the program's. While paused it wakes
// every `pauseMs` and asks the governor whether to resume, telling it whether the event loop was busy
// meanwhile: a long pause under sustained load ends as soon as the load does.
//
// The timer is Node's own (`node:timers`, taken when the agent loaded): a program that installs fake
// timers or replaces `setTimeout` never sees it. Its `unref` and `refresh` are read from the first
// timer the agent makes, when the program first runs fast enough to pause tracking.

import {
  clearTimer,
  eventLoopUtilization,
  ReflectApply,
  ReflectGetPrototypeOf,
  setTimer,
} from './intrinsics';
import { BUSY_LOOP_UTILIZATION, type GovernorReport, type PromiseRateGovernor } from './promiseRateGovernor';

type LoopUtilization = ReturnType<typeof eventLoopUtilization>;
type Timer = ReturnType<typeof setTimer>;

/** The event loop's utilization so far; undefined where Node has no such reading. Needs no hook. */
function loopReading(): LoopUtilization | undefined {
  try {
    return eventLoopUtilization();
  } catch {
    return undefined;
  }
}

let timerMethods: { refresh: () => unknown; unref: () => unknown } | undefined;

/** Calls `refresh` or `unref` of Node's `Timeout`, as they were when the agent first needed them. */
function callTimer(timer: Timer, method: 'refresh' | 'unref'): void {
  if (timerMethods === undefined) {
    const prototype = ReflectGetPrototypeOf(timer) as { refresh: () => unknown; unref: () => unknown };
    timerMethods = { refresh: prototype.refresh, unref: prototype.unref };
  }
  ReflectApply(timerMethods[method], timer, []);
}

/**
 * Whether the loop was busy between two readings. Without both readings it counts as busy, so pauses
 * simply run their length.
 */
function loopWasBusy(since: LoopUtilization | undefined, now: LoopUtilization | undefined): boolean {
  if (since === undefined || now === undefined) return true;
  return eventLoopUtilization(now, since).utilization >= BUSY_LOOP_UTILIZATION;
}

export class TrackingSwitch {
  private on = true;
  private stopped = false;
  private timer: Timer | undefined;
  /** The event loop's utilization when the pause began or the timer last woke. */
  private loopReading: LoopUtilization | undefined;

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
    this.loopReading = loopReading();
    if (this.timer === undefined) {
      this.timer = setTimer(() => this.wake(), governor.limits.pauseMs);
      callTimer(this.timer, 'unref');
    } else {
      callTimer(this.timer, 'refresh');
    }
  }

  private wake(): void {
    try {
      if (this.stopped || this.on || this.governor === undefined) return;
      const reading = loopReading();
      const busy = loopWasBusy(this.loopReading, reading);
      this.loopReading = reading;
      if (!this.governor.resumeDue(busy)) {
        if (this.timer !== undefined) callTimer(this.timer, 'refresh');
        return;
      }
      this.governor.resumed();
      this.turnOn();
      this.on = true;
    } catch {
      // Tracking stays paused; snapshots still list what the program holds, without sites.
    }
  }

  /** For good: the hooks off, the timer cancelled. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimer(this.timer);
    if (this.on) this.turnOff();
    this.on = false;
  }

  /** Whether the hooks are installed now. */
  get isOn(): boolean {
    return this.on;
  }

  owns(timer: object): boolean {
    return timer === this.timer;
  }

  report(): GovernorReport | undefined {
    return this.governor?.report();
  }
}

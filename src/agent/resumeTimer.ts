// The one timer a tracker uses to come back after the governor paused it: made at the first pause and
// re-armed after that, unref'd so that it never keeps the program alive, and known to the snapshot so
// that the agent's own timer is never reported as the program's.

export class ResumeTimer {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly delayMs: number,
    private readonly resume: () => void,
  ) {}

  /** Calls `resume` once, `delayMs` from now. */
  arm(): void {
    if (this.timer === undefined) {
      this.timer = setTimeout(this.resume, this.delayMs);
      this.timer.unref();
    } else {
      this.timer.refresh();
    }
  }

  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  owns(timer: object): boolean {
    return timer === this.timer;
  }
}

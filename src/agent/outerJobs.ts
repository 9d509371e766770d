// The state of the promise jobs a nested job interrupted (promiseTracker.ts). Jobs almost never nest (a
// job would have to run the microtask queue), so saving allocates only then. Written by index rather
// than `push`/`pop`, which the program may have replaced.
import type { ContextLink, CreationRecord } from './creationRecord';

export interface JobState {
  promise: Promise<unknown> | undefined;
  current: CreationRecord | undefined;
  link: ContextLink;
  opaque: boolean;
}

export class OuterJobs {
  private readonly saved: (JobState | undefined)[] = [];
  private length = 0;

  save(state: JobState): void {
    this.saved[this.length++] = state;
  }

  /** The state of the job the innermost nested one interrupted; undefined when none was saved. */
  restore(): JobState | undefined {
    if (this.length === 0) return undefined;
    const state = this.saved[--this.length];
    this.saved[this.length] = undefined;
    return state;
  }

  clear(): void {
    for (let index = 0; index < this.length; index++) this.saved[index] = undefined;
    this.length = 0;
  }

  /** The promises whose jobs were interrupted, outermost first. */
  promises(): object[] {
    const promises: object[] = [];
    for (let index = 0; index < this.length; index++) {
      const promise = this.saved[index]?.promise;
      if (promise !== undefined) promises[promises.length] = promise;
    }
    return promises;
  }
}

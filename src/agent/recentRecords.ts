// The records of the most recently made async resources, by asyncId: how a callback finds the record of
// the resource it runs for ("within the setInterval callback at server.js:18") from `executionAsyncId()`.
// Asking Node for the resource itself (`executionAsyncResource()`) would be simpler, but its first call
// makes Node keep the resource of every callback from then on, for good: measured 2–3 % of an HTTP
// server's throughput on Node 24. Bounded, least recently used first out: resources whose callbacks keep
// running (an interval, a server) stay; finished ones age out. Held weakly: a record lives as long as
// its resource does (resourceRecords.ts), never longer because it is recent.

import type { CreationRecord } from './creationRecord';
import { firstKeyOf, NativeWeakRef, SafeMap } from './intrinsics';

export class RecentRecords {
  private readonly records: Map<number, WeakRef<CreationRecord>> = new SafeMap();

  constructor(private readonly capacity: number) {}

  remember(asyncId: number, record: CreationRecord): void {
    this.records.set(asyncId, new NativeWeakRef(record));
    if (this.records.size > this.capacity) {
      const oldest = firstKeyOf(this.records);
      if (oldest !== undefined) this.records.delete(oldest);
    }
  }

  /** The record of a resource, marked as used just now. */
  recall(asyncId: number): CreationRecord | undefined {
    const reference = this.records.get(asyncId);
    if (reference === undefined) return undefined;
    this.records.delete(asyncId);
    const record = reference.deref();
    if (record !== undefined) this.records.set(asyncId, reference);
    return record;
  }
}

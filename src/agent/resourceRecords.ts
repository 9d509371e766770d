// Records of async resources (timers, sockets, servers), kept beside them rather than on them. A private
// field on Node's own objects (`TickObject`, `Timeout`, sockets) gives them a second hidden class, and
// Node's hot internals that handle them (the nextTick queue, the timer lists) stay polymorphic for the
// rest of the process: measured ≈ 3 % of an HTTP server's throughput on Node 24, long after tracking
// paused. A WeakMap changes nothing about the objects and lets each record go with its resource.

import type { CreationRecord } from './creationRecord';
import { SafeWeakMap } from './intrinsics';

const records: WeakMap<object, CreationRecord> = new SafeWeakMap();

export function recordOfResource(resource: object): CreationRecord | undefined {
  return records.get(resource);
}

export function rememberResource(resource: object, record: CreationRecord): void {
  records.set(resource, record);
}

// Who started an operation: its stack is where it waits now, and V8's async frames end at its outermost
// async function — the loop, timer callback or request that called that function is gone once it first
// awaited. The call's own promise was captured when the call was made, synchronously, so its stack still
// has those callers: `placeOrder` ← `takeOrders` (stuckRequests.js:46) ← the `setInterval` callback
// (:60). Each operation takes the callers of a pending call of its outermost function, preferring one
// made in the same synchronous run (the same start time); Node's own frames between are left out.

import { SafeMap } from './intrinsics';
import { functionKey, type OperationFrame, outermostOwn, shownFrames } from './operationFrames';
import type { Operation, Shaped } from './operationModel';

/** Callers shown: enough to say who started it, few enough for a row. */
const MAX_STARTERS = 3;

/** Sets each operation's `startedBy` from the pending async calls captured with their callers. */
export function addStarters(operations: readonly Operation[], calls: readonly Shaped[]): void {
  const callsOf: Map<string, Shaped[]> = new SafeMap();
  for (const call of calls) {
    const top = call.read.frames[0];
    if (top === undefined || call.read.frames.length < 2) continue;
    const key = functionKey(top);
    const list = callsOf.get(key) ?? [];
    list.push(call);
    callsOf.set(key, list);
  }
  if (callsOf.size === 0) return;
  // Once per distinct stack: 100 000 calls from one loop share their callers.
  const startersOf: Map<Shaped['read'], OperationFrame[]> = new SafeMap();
  for (const item of operations) {
    const outermost = outermostOwn(item.frames);
    const candidates = outermost && callsOf.get(functionKey(outermost));
    if (candidates === undefined) continue;
    const call = candidates.find((found) => found.record.startedAt === item.startedAt) ?? candidates[0];
    let starters = startersOf.get(call.read);
    if (starters === undefined) {
      starters = shownFrames(call.read.frames.slice(1), false, false)
        .filter((frame) => frame.origin !== 'runtime')
        .slice(0, MAX_STARTERS);
      startersOf.set(call.read, starters);
    }
    if (starters.length > 0) item.startedBy = starters;
  }
}

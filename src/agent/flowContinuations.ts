// A request made past the capture budget whose leaf got a stack later (the bucket refilled before its
// job ran): the leaf is an exact operation, and the promises of its chain made before it — its async
// calls, known only by their context — would be a row of their own: the same operation twice. The
// leaf's record names that chain (CreationRecord.continues), and its stack shows the chain's pending
// async calls: each function suspended at an `await` is an async frame, and the function the job
// resumed is the outermost frame before them (running, so V8 marks it as no async frame). When the
// leaves continuing a chain account for exactly its promises, the chain is no row of its own; otherwise
// (a loop of calls begun in one callback, of which one later captured its leaf) it keeps its row.

import { SafeMap } from './intrinsics';
import type { Shaped } from './operationModel';
import type { Flow } from './operationParts';
import type { Frame } from './stackTypes';

/** The pending async calls a leaf's stack shows: its async frames and the function its job resumed. */
export function pendingCallsShown(frames: readonly Frame[]): number {
  let suspended = 0;
  for (const frame of frames) if (frame.async) suspended++;
  // Async frames follow only a job that resumed an async function (or ran a callback whose promise an
  // async function awaits: then the count is one too many, and the chain keeps its row unless it
  // matches all the same).
  return suspended === 0 ? 0 : suspended + 1;
}

/** The flows left once chains that leaves continue, and account for exactly, are taken out. */
export function flowsLeft(flows: readonly Flow[], leaves: readonly Shaped[]): Flow[] {
  const continued: Map<number, number> = new SafeMap();
  for (const leaf of leaves) {
    const root = leaf.record.continues;
    if (root === undefined || root.number === 0) continue;
    continued.set(root.number, (continued.get(root.number) ?? 0) + pendingCallsShown(leaf.read.frames));
  }
  if (continued.size === 0) return [...flows];
  return flows.filter((flow) => flow.reason !== 'budget' || continued.get(flow.root) !== flow.promises);
}

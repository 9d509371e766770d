// Waits made inside one call into a library or Node, told apart from separate operations. A call into
// code that is not the program's can make several leaves (`new Promise` or Node's promises) before it
// returns:
// - undici's `fetch` makes the response's promise, then its dispatcher's: one fetch, one operation;
// - p-queue's `add` makes the promise its caller awaits, then — when a slot is free — runs the job at
//   once, inside its executor: the job's own wait (`render` in `buildReport`) is where the caller's
//   operation really waits, and the `add` promise only bridges to it.
// Both show in the stacks: the inner leaf's stack ends with the frames of the outer call (from the
// frame where the program called in, outward), and the inner leaf was made after the outer one and
// before that call's stack made another outer leaf. Of each pair, the wait that reaches further into the
// program (more of its frames) is the operation's; the other is a part of it.

import { SafeMap, SafeSet } from './intrinsics';
import type { Shaped } from './operationModel';
import type { Frame, ReadStack } from './stackTypes';

export interface NestedWaits {
  /** Leaves that are part of another's operation. */
  dropped: Set<Shaped>;
  /** Outer leaves whose operation now waits further in (a queued job that runs): by the inner leaf. */
  bridgedBy: Map<Shaped, Shaped>;
  /** Inner leaves that continue nothing's operation of their own: the outer leaf they belong to. */
  partOf: Map<Shaped, Shaped>;
}

/** Where the program called into code that is not its own: the outermost frame of that run on top. */
function calledIntoIndex(item: Shaped): number {
  let index = -1;
  for (let at = 0; at < item.frames.length && item.frames[at].origin !== undefined; at++) index = at;
  return index;
}

function ownFrameCount(item: Shaped): number {
  let count = 0;
  for (const frame of item.frames) if (frame.origin === undefined) count += 1;
  return count;
}

export function nestedWaits(leaves: readonly Shaped[]): NestedWaits {
  const found: NestedWaits = { dropped: new SafeSet(), bridgedBy: new SafeMap(), partOf: new SafeMap() };
  // Frames are shared objects (stackCapture.ts): numbered here, per snapshot, to key stacks' tails.
  const frameIds: Map<Frame, number> = new SafeMap();
  const idOf = (frame: Frame) => {
    let id = frameIds.get(frame);
    if (id === undefined) {
      id = frameIds.size;
      frameIds.set(frame, id);
    }
    return id;
  };
  // Every suffix of a stack's shown frames, keyed; once per distinct stack.
  const suffixKeys: Map<ReadStack, string[]> = new SafeMap();
  const suffixesOf = (item: Shaped) => {
    let keys = suffixKeys.get(item.read);
    if (keys === undefined) {
      keys = [];
      let key = '';
      for (let at = item.frames.length - 1; at >= 0; at--) {
        key = `${idOf(item.frames[at].frame)},${key}`;
        keys[at] = key;
      }
      suffixKeys.set(item.read, keys);
    }
    return keys;
  };

  // A call, from a frame on: the function called into (not the line in it: a leaf made further in,
  // as pg-pool's `query` makes its client's reader after its own promise, passes through the same call
  // at another line) and the exact frames from there outward.
  const callKey = (item: Shaped, at: number) => {
    const frame = item.frames[at].frame;
    return `${frame.file}#${frame.functionName ?? ''}|${suffixesOf(item)[at + 1] ?? ''}`;
  };

  // Outer calls: leaves made in code the program called into, by the call they were made in. The first
  // stack seen with a call is that call's own (the outer leaf); others in it are made inside — unless
  // they show the same frames as the call's own leaf: then they are another call made the same way
  // (`lowPriority(); lowPriority();` on one line: columns are not part of a frame shown).
  const sorted = [...leaves].sort((a, b) => a.record.number - b.record.number);
  const ownKeyOf: Map<string, string> = new SafeMap();
  for (const item of sorted) {
    const at = calledIntoIndex(item);
    if (at < 0 || ownFrameCount(item) === 0) continue;
    const key = callKey(item, at);
    if (!ownKeyOf.has(key)) ownKeyOf.set(key, suffixesOf(item)[0]);
  }
  if (ownKeyOf.size === 0) return found;

  const latestOuter: Map<string, Shaped> = new SafeMap();
  for (const item of sorted) {
    const keys = suffixesOf(item);
    let outer: Shaped | undefined;
    for (let at = 0; at < keys.length && outer === undefined; at++) {
      const key = callKey(item, at);
      const own = ownKeyOf.get(key);
      if (own === undefined) continue;
      if (own === keys[0]) {
        latestOuter.set(key, item);
        break;
      }
      outer = latestOuter.get(key);
    }
    if (outer === undefined || found.dropped.has(outer)) continue;
    if (ownFrameCount(item) > ownFrameCount(outer)) {
      found.dropped.add(outer);
      found.bridgedBy.set(outer, item);
    } else {
      found.dropped.add(item);
      found.partOf.set(item, outer);
    }
  }
  return found;
}

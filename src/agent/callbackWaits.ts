// Waits in the program's own callbacks that Node or a library runs while the program awaits the call
// that runs them: `await pipeline(source, transform, async function* (chunks) { for await (…) })` waits
// on `pipeline`'s promise, and the generator stage — the program's code, called by `pipeline` — waits on
// the stream. V8's async frames make the stage's stack run through the line that awaits `pipeline`
// (its key has the key of `pipeline`'s wait as a proper suffix), so both are one chain: one operation,
// which waits where the stage waits (it reaches further into the program). Stacks that pass through
// another wait's line are awaited from that line, so this pairs nothing that is not one chain.

import { SafeMap, SafeSet } from './intrinsics';
import { outerKeyIn } from './operationFrames';
import type { Shaped } from './operationModel';

/** A call into Node or a library on top: what the program awaits there may run its callbacks. */
function callsOut(item: Shaped): boolean {
  return item.frames.length > 0 && item.frames[0].origin !== undefined;
}

/**
 * The outer waits to leave out, each paired with the first wait (made after it) whose stack runs
 * through its line.
 */
export function callbackWaits(leaves: readonly Shaped[]): Set<Shaped> {
  const outer: Map<string, Shaped[]> = new SafeMap();
  for (const item of leaves) {
    if (!callsOut(item) || item.key === '') continue;
    const list = outer.get(item.key) ?? [];
    list.push(item);
    outer.set(item.key, list);
  }
  const covered: Set<Shaped> = new SafeSet();
  if (outer.size === 0) return covered;
  for (const list of outer.values()) list.sort((a, b) => a.record.number - b.record.number);
  const ordered = [...leaves].sort((a, b) => a.record.number - b.record.number);
  // Once per distinct stack: the outer key a stack runs through, if any.
  const throughOf: Map<Shaped['shape'], string | undefined> = new SafeMap();
  for (const inner of ordered) {
    if (!throughOf.has(inner.shape)) throughOf.set(inner.shape, outerKeyIn(inner.key, outer, true));
    const through = throughOf.get(inner.shape);
    if (through === undefined) continue;
    const list = outer.get(through) as Shaped[];
    const pair = list.find((item) => item.record.number < inner.record.number && !covered.has(item));
    if (pair !== undefined) covered.add(pair);
  }
  return covered;
}

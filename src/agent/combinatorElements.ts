// Which pending `Promise.all` (or kin) a wait belongs to when `Promise.all` could not mark it: the
// element it was given is not the promise the chain waits on. That is the common case of elements
// written in the call itself — `Promise.all([fetch(a), crawl(b)])`:
// - Node's `fetch` returns a promise derived from the one it waits on (the derived one gets no record of
//   its own), so the wait's stack ends at the very line of the combinator: its key *is* the
//   combinator's key;
// - `crawl(b)` is marked as an element, but what it waits on is a `new Promise` further in (`take()`),
//   whose stack runs through the combinator's line: a proper suffix of its key is the combinator's key.
// Elements are made before the combinator, left to right, so a wait belongs to the first combinator of
// that key made after it (else the last one made before it: the element's chain went on in a job), and
// takes the index of the marked element whose function it passes through, else the next unmarked one.

import type { CreationRecord } from './creationRecord';
import { SafeMap, SafeSet } from './intrinsics';
import { functionKey, type OperationFrame, outerKeyIn } from './operationFrames';
import type { Shaped } from './operationModel';

export interface InlineElement {
  combinator: Shaped;
  index: number;
  /** The element's own frames: the wait's, without the combinator's. */
  frames: OperationFrame[];
  /** A wait under an element already counted as pending (marked); false: this wait is the element. */
  counted: boolean;
}

function nearestCombinator(waitNumber: number, candidates: readonly Shaped[]): Shaped {
  for (const candidate of candidates) if (candidate.record.number > waitNumber) return candidate;
  return candidates[candidates.length - 1];
}

/**
 * Waits (leaves) that are elements of a pending combinator with no mark saying so, with the element
 * each is. `combinators` are the pending combinators with stacks; `marked` the captured promises
 * `Promise.all` marked as its elements.
 */
export function inlineElements(
  leaves: readonly Shaped[],
  combinators: ReadonlyMap<CreationRecord, Shaped>,
  marked: readonly Shaped[],
): Map<Shaped, InlineElement> {
  const found: Map<Shaped, InlineElement> = new SafeMap();
  if (combinators.size === 0) return found;
  const byKey: Map<string, Shaped[]> = new SafeMap();
  for (const combinator of combinators.values()) {
    const list = byKey.get(combinator.key) ?? [];
    list.push(combinator);
    byKey.set(combinator.key, list);
  }
  for (const list of byKey.values()) list.sort((a, b) => a.record.number - b.record.number);
  // Marked elements per combinator, and the indices taken by them or given out here.
  const markedOf: Map<CreationRecord, Shaped[]> = new SafeMap();
  const taken: Map<CreationRecord, Set<number>> = new SafeMap();
  for (const item of marked) {
    const combinator = item.record.combinator as CreationRecord;
    markedOf.set(combinator, [...(markedOf.get(combinator) ?? []), item]);
    const indices = taken.get(combinator) ?? new SafeSet<number>();
    indices.add(item.record.combinatorIndex ?? 0);
    taken.set(combinator, indices);
  }
  const ordered = [...leaves].sort((a, b) => a.record.number - b.record.number);
  const usedMarks: Set<Shaped> = new SafeSet();
  // Once per distinct stack: 100 000 waits parked at one line are one look.
  const keyOfShape: Map<Shaped['shape'], string | undefined> = new SafeMap();
  for (const leaf of ordered) {
    if (leaf.read.marks !== undefined) continue;
    let key = keyOfShape.get(leaf.shape);
    if (!keyOfShape.has(leaf.shape)) {
      key = outerKeyIn(leaf.key, byKey, false);
      keyOfShape.set(leaf.shape, key);
    }
    if (key === undefined) continue;
    const combinator = nearestCombinator(leaf.record.number, byKey.get(key) as Shaped[]);
    const outerFrames = (byKey.get(key) as Shaped[])[0].frames.filter((item) => item.origin === undefined);
    const frames = leaf.frames.slice(0, Math.max(0, ownFrameIndex(leaf.frames, outerFrames.length)));
    // The marked element whose function this wait's chain passes through: the wait is under it.
    // (Node's frames too: on Node 18 `fetch` is an async function of Node's, marked as the element.)
    const functions: Set<string> = new SafeSet(frames.map((item) => functionKey(item.frame)));
    const under = (markedOf.get(combinator.record) ?? []).find(
      (item) =>
        !usedMarks.has(item) && item.frames.length > 0 && functions.has(functionKey(item.frames[0].frame)),
    );
    if (under !== undefined) {
      usedMarks.add(under);
      found.set(leaf, { combinator, index: under.record.combinatorIndex ?? 0, frames, counted: true });
      continue;
    }
    const indices = taken.get(combinator.record) ?? new SafeSet<number>();
    taken.set(combinator.record, indices);
    let index = 0;
    while (indices.has(index)) index++;
    if (index >= (combinator.record.elements ?? 0)) continue; // more waits than elements: not one of them
    indices.add(index);
    found.set(leaf, { combinator, index, frames, counted: false });
  }
  return found;
}

/** Where the last `ownFromOuter` frames of the program's own code begin in `frames`. */
function ownFrameIndex(frames: readonly OperationFrame[], ownFromOuter: number): number {
  let seen = 0;
  for (let index = frames.length - 1; index >= 0; index--) {
    if (frames[index].origin !== undefined) continue;
    seen++;
    if (seen === ownFromOuter) return index;
  }
  return 0;
}

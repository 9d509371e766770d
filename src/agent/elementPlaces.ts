// Where an element of a pending `Promise.all` (or kin) stands: the combinator its stack passes through
// (by the combinator frames V8 puts in async stacks), its index, its own frames, and the words of the
// operation's element details. Pure functions over shaped promises.

import type { CreationRecord } from './creationRecord';
import type { Awaiting } from './operationAwaiting';
import { type OperationFrame, outerKeyIn, stackKey } from './operationFrames';
import type { Shaped } from './operationModel';

/** The key of the frames outside the outermost combinator a stack passes through. */
export function outerKey(item: Shaped): string | undefined {
  const marks = item.read.marks;
  if (marks === undefined) return undefined;
  const at = marks[marks.length - 1].at;
  return stackKey(item.frames.filter((frame) => frame.at >= at));
}

/**
 * The element of the outermost combinator a leaf's stack passes through: its index, its frames, and —
 * when a combinator nearer the leaf lies between — that combinator as what the element waits on.
 */
export function elementOf(item: Shaped): { index: number; frames: OperationFrame[]; inner?: Awaiting } {
  const marks = item.read.marks;
  if (marks === undefined) return { index: item.record.combinatorIndex ?? 0, frames: item.frames };
  const outer = marks[marks.length - 1];
  const inner = marks.length > 1 ? marks[marks.length - 2] : undefined;
  const from = inner?.at ?? 0;
  const frames = item.frames.filter((frame) => frame.at >= from && frame.at < outer.at);
  return { index: outer.index, frames, inner: inner && { text: inner.combinator, kind: inner.combinator } };
}

/** `element 0`, `element 1`, … in order, however they were found. */
export function inElementOrder(
  details: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (details === undefined) return undefined;
  const ordered: Record<string, string> = {};
  const index = (name: string) => Number(name.slice('element '.length));
  for (const name of Object.keys(details).sort((a, b) => index(a) - index(b))) ordered[name] = details[name];
  return ordered;
}

/** The combinator (by key) and place of an element, as the element details are keyed. */
export function elementPlace(item: Shaped, combinators: ReadonlyMap<CreationRecord, Shaped>) {
  const outer = outerKey(item);
  const combinator = item.record.combinator;
  const parent = outer ?? (combinator === undefined ? undefined : combinators.get(combinator)?.key);
  return parent === undefined ? undefined : { parent, index: elementOf(item).index };
}

/** Whether a proper suffix of `key` (its outer frames) is the key of a pending combinator. */
export function underCombinator(key: string, combinatorKeys: ReadonlySet<string>): boolean {
  return outerKeyIn(key, combinatorKeys, true) !== undefined;
}

// Operations: chains of pending async work that nothing else pending awaits, each found once, with its
// logical stack innermost first and what it waits on (docs/snapshot-format.md, "Node operations").
//
// V8 never shows where a suspended async function waits (its state object is out of reach of the
// inspector), but a stack captured when the innermost promise of a chain is made — the `new Promise`
// in `httpGet`, Node's promise in `events.once` — holds the whole chain: V8's async frames are the
// callers at the `await` where each is suspended, and stay so while that promise is pending. So:
// - each pending *leaf* with a captured stack is one operation, unless it is an element of a pending
//   `Promise.all` (and kin), which is then the operation, waiting for "2 of 3";
// - a pending async call that no such stack passes through (its leaf got no stack, or is no promise)
//   is one too (uncoveredCalls.ts);
// - promises made past the capture budget, or while tracking paused, are known only by the context they
//   were made in: one operation per context, its frames that context's, `inferred`.

import { callbackWaits } from './callbackWaits';
import type { TaskEntry } from './collectTasks';
import { inlineElements } from './combinatorElements';
import type { CreationRecord } from './creationRecord';
import { SafeMap, SafeSet } from './intrinsics';
import { queuedText } from './libraryWaits';
import { nestedWaits } from './nestedWaits';
import type { Awaiting } from './operationAwaiting';
import { combinatorAwaiting, elementText, leafAwaiting, unknownAwaiting } from './operationAwaiting';
import { cutCallers, functionKey, type OperationFrame, shownFrames, stackKey } from './operationFrames';
import { builtinName } from './operationLinks';
import {
  FLOW_LABELS,
  FLOW_SUFFIX,
  type FoundOperations,
  type Operation,
  operation,
  type Shape,
  type Shaped,
  shapeOf,
  UNKNOWN_REASONS,
} from './operationModel';
import { type CapturedPromise, type Flow, sortParts } from './operationParts';
import { addStarters } from './operationStarters';
import { stackOf } from './siteResolution';
import type { Frame, ReadStack } from './stackTypes';
import { uncoveredCallOperations } from './uncoveredCalls';

/** The key of the frames outside the outermost combinator a stack passes through. */
function outerKey(item: Shaped): string | undefined {
  const marks = item.read.marks;
  if (marks === undefined) return undefined;
  const at = marks[marks.length - 1].at;
  return stackKey(item.frames.filter((frame) => frame.at >= at));
}

/**
 * The element of the outermost combinator a leaf's stack passes through: its index, its frames, and —
 * when a combinator nearer the leaf lies between — that combinator as what the element waits on.
 */
function elementOf(item: Shaped): { index: number; frames: OperationFrame[]; inner?: Awaiting } {
  const marks = item.read.marks;
  if (marks === undefined) return { index: item.record.combinatorIndex ?? 0, frames: item.frames };
  const outer = marks[marks.length - 1];
  const inner = marks.length > 1 ? marks[marks.length - 2] : undefined;
  const from = inner?.at ?? 0;
  const frames = item.frames.filter((frame) => frame.at >= from && frame.at < outer.at);
  return { index: outer.index, frames, inner: inner && { text: inner.combinator, kind: inner.combinator } };
}

/** `element 0`, `element 1`, … in order, however they were found. */
function inElementOrder(details: Record<string, string> | undefined): Record<string, string> | undefined {
  if (details === undefined) return undefined;
  const ordered: Record<string, string> = {};
  const index = (name: string) => Number(name.slice('element '.length));
  for (const name of Object.keys(details).sort((a, b) => index(a) - index(b))) ordered[name] = details[name];
  return ordered;
}

/** Whether a proper suffix of `key` (its outer frames) is the key of a pending combinator. */
function underCombinator(key: string, combinatorKeys: ReadonlySet<string>): boolean {
  for (let at = key.indexOf('\n'); at !== -1 && at < key.length - 1; at = key.indexOf('\n', at + 1))
    if (combinatorKeys.has(key.slice(at + 1))) return true;
  return false;
}

/**
 * Operations waiting in a queue or pool, counted per call they wait at (`p-queue — queued, 2 running,
 * 2 waiting`): waiting, those still there; running, the calls there whose job already runs further in.
 */
function countQueued(operations: readonly Operation[], bridged: Iterable<Shaped>): void {
  const waiting: Map<Frame, number> = new SafeMap();
  const running: Map<Frame, number> = new SafeMap();
  for (const item of operations) {
    const at = item.awaiting.queuedAt;
    if (at !== undefined) waiting.set(at, (waiting.get(at) ?? 0) + 1);
  }
  if (waiting.size === 0) return;
  for (const outer of bridged) {
    const at = leafAwaiting(undefined, outer.frames, []).queuedAt;
    if (at !== undefined) running.set(at, (running.get(at) ?? 0) + 1);
  }
  for (const item of operations) {
    const at = item.awaiting.queuedAt;
    if (at === undefined) continue;
    const text = queuedText(item.awaiting.kind, waiting.get(at) ?? 0, running.get(at) ?? 0);
    item.awaiting = { text, kind: item.awaiting.kind };
  }
}

export function findOperations(entries: readonly TaskEntry[], includeInternals: boolean): FoundOperations {
  const parts = sortParts(entries, includeInternals);
  // Functions with a pending call of their own: async functions, where a stack's callers are cut.
  const asyncFunctions: Set<string> = new SafeSet();
  const callStacks: Set<ReadStack> = new SafeSet();
  for (const item of parts.captured) {
    if (item.kind !== 'call' || item.read.frames.length === 0 || callStacks.has(item.read)) continue;
    callStacks.add(item.read);
    asyncFunctions.add(functionKey(item.read.frames[0]));
  }
  // Once per distinct stack: promises parked at the same place share their capture (stackInterning.ts).
  const shapes: Map<ReadStack, Shape> = new SafeMap();
  const shapeItem = (item: CapturedPromise): Shaped => {
    let shape = shapes.get(item.read);
    if (shape === undefined) {
      shape = shapeOf(cutCallers(shownFrames(item.read.frames, false, includeInternals), asyncFunctions));
      shapes.set(item.read, shape);
    }
    return {
      record: item.record,
      read: item.read,
      kind: item.kind,
      shape,
      frames: shape.frames,
      key: shape.key,
    };
  };
  const shaped = parts.captured.map(shapeItem);
  const combinators: Map<CreationRecord, Shaped> = new SafeMap();
  const combinatorKeys: Set<string> = new SafeSet();
  for (const item of shaped) {
    if (item.kind !== 'combinator') continue;
    combinators.set(item.record, item);
    combinatorKeys.add(item.key);
  }
  // A `new Promise` made in another's executor is part of that one's wait (what it made, it made).
  const captured: Set<CreationRecord> = new SafeSet();
  for (const item of shaped) captured.add(item.record);
  const isEnclosed = (item: Shaped) =>
    item.record.enclosedBy !== undefined && captured.has(item.record.enclosedBy);
  for (const item of shaped) {
    const outer = item.record.enclosedBy;
    const inner = parts.resourcesOf.get(item.record);
    if (!isEnclosed(item) || inner === undefined || outer === undefined) continue;
    parts.resourcesOf.set(outer, [...(parts.resourcesOf.get(outer) ?? []), ...inner]);
  }

  // Elements of a pending combinator: marked by `Promise.all` itself, shown by the combinator frames of
  // their stacks, or found by their stack ending at or running through the combinator's line
  // (combinatorElements.ts); worked out once per distinct stack.
  const marked: Set<Shaped> = new SafeSet();
  for (const item of shaped)
    if (item.record.combinator !== undefined && combinators.has(item.record.combinator)) marked.add(item);
  // Leaves made inside one call into a library or Node: one operation (nestedWaits.ts); the outer one
  // may be an element of a combinator.
  const freeLeaves = shaped.filter(
    (item) => item.kind === 'leaf' && !marked.has(item) && !isEnclosed(item) && item.read.marks === undefined,
  );
  const nested = nestedWaits(freeLeaves);
  for (const [inner, outer] of nested.partOf) {
    const resources = parts.resourcesOf.get(inner.record);
    if (resources !== undefined)
      parts.resourcesOf.set(outer.record, [...(parts.resourcesOf.get(outer.record) ?? []), ...resources]);
  }
  const inline = inlineElements(
    freeLeaves.filter((item) => !nested.dropped.has(item)),
    combinators,
    [...marked],
  );
  const childOfStack: Map<ReadStack, boolean> = new SafeMap();
  const isChild = (item: Shaped) => {
    if (marked.has(item) || inline.has(item)) return true;
    let child = childOfStack.get(item.read);
    if (child === undefined) {
      child = item.read.marks !== undefined || underCombinator(item.key, combinatorKeys);
      childOfStack.set(item.read, child);
    }
    return child;
  };

  // Waits of the program's callbacks run by a call it awaits (a pipeline's generator stage): one chain.
  const covered = callbackWaits(freeLeaves.filter((item) => !nested.dropped.has(item) && !isChild(item)));

  // What each combinator waits for: its pending elements, and the wait of each.
  const pendingElements: Map<CreationRecord, Set<number>> = new SafeMap();
  const elementDetails: Map<string, Record<string, string>> = new SafeMap();
  for (const item of shaped) {
    const combinator = item.record.combinator;
    if (combinator !== undefined && combinators.has(combinator)) {
      const indices = pendingElements.get(combinator) ?? new SafeSet<number>();
      indices.add(item.record.combinatorIndex ?? 0);
      pendingElements.set(combinator, indices);
    }
    if (item.kind !== 'leaf') continue;
    const unmarked = inline.get(item);
    if (unmarked !== undefined) {
      const indices = pendingElements.get(unmarked.combinator.record) ?? new SafeSet<number>();
      indices.add(unmarked.index);
      pendingElements.set(unmarked.combinator.record, indices);
      const details = elementDetails.get(unmarked.combinator.key) ?? {};
      const own = unmarked.frames.some((frame) => frame.origin === undefined);
      const frames = own ? unmarked.frames : item.frames;
      const awaiting = leafAwaiting(
        builtinName(item.read.builtin),
        frames,
        parts.resourcesOf.get(item.record) ?? [],
      );
      details[`element ${unmarked.index}`] ??= elementText(frames, awaiting);
      elementDetails.set(unmarked.combinator.key, details);
      continue;
    }
    const outer = outerKey(item);
    const parent = outer ?? (combinator === undefined ? undefined : combinators.get(combinator)?.key);
    if (parent === undefined) continue;
    const details = elementDetails.get(parent) ?? {};
    const element = elementOf(item);
    const awaiting =
      element.inner ??
      leafAwaiting(builtinName(item.read.builtin), element.frames, parts.resourcesOf.get(item.record) ?? []);
    details[`element ${element.index}`] ??= elementText(element.frames, awaiting);
    elementDetails.set(parent, details);
  }

  const operations: Operation[] = [];
  for (const item of shaped) {
    if (item.kind === 'call' || item.kind === 'step' || isChild(item) || isEnclosed(item)) continue;
    if (nested.dropped.has(item) || covered.has(item)) continue;
    const frames = item.frames;
    const awaiting =
      item.kind === 'combinator'
        ? combinatorAwaiting(
            builtinName(item.read.builtin) ?? 'Promise.all',
            pendingElements.get(item.record)?.size ?? 0,
            item.record.elements,
          )
        : leafAwaiting(builtinName(item.read.builtin), frames, parts.resourcesOf.get(item.record) ?? []);
    const found = operation(item.record, '', item.shape, awaiting, true);
    if (item.kind === 'combinator') found.details = inElementOrder(elementDetails.get(item.key));
    operations.push(found);
  }

  countQueued(operations, nested.bridgedBy.keys());

  const reasons: Set<Flow['reason']> = new SafeSet();
  const waits = shaped.filter((item) => item.kind === 'leaf' || item.kind === 'combinator');
  const calls = shaped.filter((item) => item.kind === 'call' && !isChild(item));
  for (const found of uncoveredCallOperations(waits, calls, parts.steps.map(shapeItem))) {
    if (!found.exact) reasons.add('budget');
    operations.push(found);
  }

  for (const flow of parts.flows) {
    const frames = cutCallers(
      shownFrames(stackOf(flow.record).frames, true, includeInternals),
      asyncFunctions,
    );
    const found = operation(
      flow.record,
      FLOW_SUFFIX[flow.reason],
      shapeOf(frames),
      unknownAwaiting(UNKNOWN_REASONS[flow.reason]),
      false,
    );
    if (frames.length === 0) found.label = FLOW_LABELS[flow.reason];
    found.details = { promises: flow.promises };
    reasons.add(flow.reason);
    operations.push(found);
  }
  addStarters(
    operations,
    shaped.filter((item) => item.kind === 'call'),
  );
  return { operations, reasons, parts };
}

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
import { elementOf, elementPlace, inElementOrder, outerKey, underCombinator } from './elementPlaces';
import { flowsLeft } from './flowContinuations';
import { SafeMap, SafeSet } from './intrinsics';
import {
  EVENTS_ONCE,
  PG_POOL_CONNECT,
  PG_POOL_QUERY,
  POOL_ACQUIRE,
  REDIS_COMMAND,
  STREAM_PIPELINE,
} from './libraryWaits';
import { nestedWaits } from './nestedWaits';
import { describeOnceWaits, madeInEventsOnce } from './onceWaits';
import {
  type Awaiting,
  combinatorAwaiting,
  elementText,
  leafAwaiting,
  unknownAwaiting,
} from './operationAwaiting';
import { cutCallers, functionKey, shownFrames } from './operationFrames';
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
import { describePgPoolWaits } from './pgPoolWaits';
import { describePipelineWaits } from './pipelineWaits';
import { describePoolWaits } from './poolWaits';
import { continuedShape, countQueued, queuedJobCallers } from './queuedJobs';
import { describeQueueWaits } from './queueWaits';
import { redisWaitReader } from './redisWaits';
import { stackOf } from './siteResolution';
import type { Frame, ReadStack } from './stackTypes';
import { uncoveredCallOperations } from './uncoveredCalls';

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
  // A `new Promise` made in another's executor is part of that one's wait (what it made, it made). The
  // hooks note the leaf made before it with no promise between (enclosedBy), which is also what two
  // calls in a row that each return a `new Promise` look like (`[a.get(k), b.get(k)]`): its stack tells
  // them apart — made inside the executor, it runs through the line that made the outer promise.
  const capturedBy: Map<CreationRecord, Shaped> = new SafeMap();
  for (const item of shaped) capturedBy.set(item.record, item);
  const enclosed: Set<Shaped> = new SafeSet();
  for (const item of shaped) {
    const outer = item.record.enclosedBy === undefined ? undefined : capturedBy.get(item.record.enclosedBy);
    if (outer !== undefined && madeInsideExecutor(item.read.frames, outer.read.frames)) enclosed.add(item);
  }
  const isEnclosed = (item: Shaped) => enclosed.has(item);
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
    // The fetch's own promise waits on what its dispatcher's asked for (fetchRequests.ts).
    outer.record.request ??= inner.record.request;
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

  // The promise of a record, for the waits that read their library's objects (built at the first ask).
  const promiseOf = promiseLookup(entries);
  // An ioredis command says which it is, read from its client (once, at the first such wait).
  const redisWait = redisWaitReader(promiseOf);
  const withCommand = (awaiting: Awaiting, record: CreationRecord) =>
    awaiting.kind === REDIS_COMMAND ? (redisWait(record)?.awaiting ?? awaiting) : awaiting;

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
      const awaiting = withCommand(
        leafAwaiting(builtinName(item.read.builtin), frames, parts.resourcesOf.get(item.record) ?? []),
        item.record,
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
      withCommand(
        leafAwaiting(
          builtinName(item.read.builtin),
          element.frames,
          parts.resourcesOf.get(item.record) ?? [],
        ),
        item.record,
      );
    details[`element ${element.index}`] ??= elementText(element.frames, awaiting);
    elementDetails.set(parent, details);
  }

  // Jobs a queue started later from a promise job (p-limit's): the caller's operation waits where the
  // job waits (queuedJobs.ts) — as an element of its `Promise.all`, or as the caller's own operation.
  const records: Map<number, CreationRecord> = new SafeMap();
  for (const entry of entries) if (entry.record !== undefined) records.set(entry.record.number, entry.record);
  const callerOf = queuedJobCallers(
    shaped.filter((item) => item.kind === 'leaf' && !isEnclosed(item)),
    records,
    new SafeSet([...nested.bridgedBy.keys(), ...nested.partOf.keys()]),
  );
  const jobOf: Map<Shaped, Shaped> = new SafeMap();
  for (const [job, caller] of callerOf) {
    jobOf.set(caller, job);
    if (!isChild(caller)) continue;
    const place = elementPlace(caller, combinators);
    const details = place && elementDetails.get(place.parent);
    if (place === undefined || details === undefined) continue;
    const awaiting = leafAwaiting(undefined, job.frames, parts.resourcesOf.get(job.record) ?? []);
    details[`element ${place.index}`] = `${elementText(job.frames, awaiting)} (its job runs)`;
  }

  const operations: Operation[] = [];
  // Leaves shown as operations of their own: a chain past the budget they continue is part of them.
  const shownLeaves: Shaped[] = [];
  const poolWaits: Map<Operation, CreationRecord> = new SafeMap();
  const pgPoolWaits: Map<Operation, CreationRecord> = new SafeMap();
  for (const item of shaped) {
    if (item.kind === 'call' || item.kind === 'step' || isChild(item) || isEnclosed(item)) continue;
    if (nested.dropped.has(item) || covered.has(item) || jobOf.has(item)) continue;
    const caller = callerOf.get(item);
    if (caller !== undefined && isChild(caller)) continue;
    const frames = item.frames;
    const awaiting =
      item.kind === 'combinator'
        ? combinatorAwaiting(
            builtinName(item.read.builtin) ?? 'Promise.all',
            pendingElements.get(item.record)?.size ?? 0,
            item.record.elements,
          )
        : leafAwaiting(
            builtinName(item.read.builtin),
            frames,
            parts.resourcesOf.get(item.record) ?? [],
            item.record.request,
          );
    const found = operation(
      item.record,
      '',
      caller ? continuedShape(item, caller) : item.shape,
      awaiting,
      true,
    );
    if (caller !== undefined) found.startedAt = caller.record.startedAt ?? caller.record.createdAt;
    if (item.kind === 'combinator') found.details = inElementOrder(elementDetails.get(item.key));
    if (item.kind === 'leaf') shownLeaves.push(item);
    if (found.awaiting.kind === POOL_ACQUIRE) poolWaits.set(found, item.record);
    if (found.awaiting.kind === PG_POOL_QUERY || found.awaiting.kind === PG_POOL_CONNECT)
      pgPoolWaits.set(found, item.record);
    if (found.awaiting.kind === REDIS_COMMAND) {
      const command = redisWait(item.record);
      if (command !== undefined) found.awaiting = command.awaiting;
      if (command?.placeInLine !== undefined)
        found.details = { ...found.details, placeInLine: command.placeInLine };
    }
    operations.push(found);
  }

  countQueued(operations, [...nested.bridgedBy.keys(), ...jobOf.keys()]);
  if (poolWaits.size > 0) describePoolWaits(poolWaits, promiseOf);
  if (pgPoolWaits.size > 0) describePgPoolWaits(pgPoolWaits);
  const pipelineWaits = operations.filter((item) => item.awaiting.kind === STREAM_PIPELINE);
  if (pipelineWaits.length > 0) describePipelineWaits(pipelineWaits);
  const onceWaits = operations.filter((item) => item.awaiting.kind === EVENTS_ONCE);
  if (onceWaits.length > 0) {
    // Every pending promise `once` made, whatever it became part of: the emitters found must match them all.
    let made = 0;
    for (const item of shaped) if (item.kind === 'leaf' && madeInEventsOnce(item.read.frames)) made++;
    describeOnceWaits(onceWaits, made, parts.flows.length > 0);
  }

  const reasons: Set<Flow['reason']> = new SafeSet();
  const waits = shaped.filter((item) => item.kind === 'leaf' || item.kind === 'combinator');
  const calls = shaped.filter((item) => item.kind === 'call' && !isChild(item));
  for (const found of uncoveredCallOperations(waits, calls, parts.steps.map(shapeItem))) {
    if (!found.exact) reasons.add('budget');
    operations.push(found);
  }

  for (const flow of flowsLeft(parts.flows, shownLeaves)) {
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
  // After the starters: a job p-queue started later is told by what started it (queueWaits.ts).
  describeQueueWaits(operations);
  return { operations, reasons, parts };
}

/** The promise of a record, from the snapshot's entries (which hold them for its length). */
function promiseLookup(entries: readonly TaskEntry[]): (record: CreationRecord) => object | undefined {
  let promises: Map<CreationRecord, object> | undefined;
  return (record) => {
    if (promises === undefined) {
      promises = new SafeMap();
      for (const entry of entries)
        if (entry.record !== undefined && entry.promise !== undefined)
          promises.set(entry.record, entry.promise);
    }
    return promises.get(record);
  };
}

/**
 * Whether a leaf was made inside another's executor, by their stacks: the executor runs inside the
 * outer `new Promise`, so the frame that made the outer promise is on the inner's stack, below its top.
 */
function madeInsideExecutor(inner: readonly Frame[], outer: readonly Frame[]): boolean {
  const maker = outer[0];
  if (maker === undefined) return false;
  for (let index = 1; index < inner.length; index++) {
    const frame = inner[index];
    if (
      frame === maker ||
      (frame.line === maker.line &&
        frame.column === maker.column &&
        frame.file === maker.file &&
        frame.functionName === maker.functionName)
    )
      return true;
  }
  return false;
}

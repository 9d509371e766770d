// Deadlocks among Node operations: async functions whose pending calls all wait on one another, directly
// (`await other`) or through `Promise.all` / `Promise.allSettled`. A step (awaitSteps.ts) says that a
// call of function F, at line L, awaits a given call of function G; which call of F is not known. So
// the agent keeps the largest set of functions in which every function's pending calls are exactly as
// many as its steps that await calls of the set, and as its calls that steps of the set await. Then
// every call in it awaits another call in it and is awaited by one: following the awaits never leaves
// the set, so they wait in a ring, and none can go on. Recursion (fib(n) awaiting fib(n - 1) down to a
// timer) fails the count: its innermost call awaits something else, and its outermost is awaited by
// nothing in the set. Functions with other pending calls besides the ring's are not reported (missed,
// never made up). `Promise.race` and `Promise.any` are not followed: one other element may settle them.

import { awaitingFrame, calledFunction } from './awaitSteps';
import type { CreationRecord } from './creationRecord';
import { SafeMap, SafeSet } from './intrinsics';
import { functionKey } from './operationFrames';
import { builtinName } from './operationLinks';
import type { CapturedPromise, OperationParts } from './operationParts';
import { ownStack } from './siteResolution';
import type { Frame, ReadStack } from './stackTypes';

export interface CycleMember {
  step: CapturedPromise;
  /** Where the awaiting function waits. */
  frame: Frame;
  /** The call or combinator it awaits. */
  target: CreationRecord;
  /** The pending calls that target stands for (itself, or a combinator's elements). */
  calls: CreationRecord[];
  /** Their functions' names, for the members of rings found. */
  awaitedNames: string[];
}

const FOLLOWED_COMBINATORS: ReadonlySet<string> = new SafeSet(['Promise.all', 'Promise.allSettled']);

interface Edge {
  member: CycleMember;
  from: string;
  /** The pending calls it awaits (one, or a combinator's elements). */
  calls: CreationRecord[];
}

export function findOperationCycles(parts: Pick<OperationParts, 'captured' | 'steps'>): CycleMember[][] {
  if (parts.steps.length === 0) return [];
  const functionOfCall: Map<CreationRecord, string> = new SafeMap();
  const combinators: Set<CreationRecord> = new SafeSet();
  // Frames are shared by every call made at one place: each is named once.
  const keyOfFrame: Map<Frame, string> = new SafeMap();
  for (const item of parts.captured) {
    if (item.kind === 'combinator') combinators.add(item.record);
    const frame = item.kind === 'call' ? calledFunction(item.record) : undefined;
    if (frame === undefined) continue;
    let key = keyOfFrame.get(frame);
    if (key === undefined) {
      key = functionKey(frame);
      keyOfFrame.set(frame, key);
    }
    functionOfCall.set(item.record, key);
  }
  const elementsOf: Map<CreationRecord, CreationRecord[]> = new SafeMap();
  for (const call of functionOfCall.keys()) {
    const combinator = call.combinator;
    if (combinator === undefined || !combinators.has(combinator)) continue;
    elementsOf.set(combinator, [...(elementsOf.get(combinator) ?? []), call]);
  }

  // One look per distinct stack: steps parked at the same `await` share their read stack.
  const fromOfStack: Map<ReadStack, Frame | undefined> = new SafeMap();
  const edges: Edge[] = [];
  const graph: Map<string, Set<string>> = new SafeMap();
  for (const step of parts.steps) {
    let frame = fromOfStack.get(step.read);
    if (frame === undefined && !fromOfStack.has(step.read)) {
      frame = awaitingFrame(step.read.frames);
      fromOfStack.set(step.read, frame);
    }
    const target = step.record.awaits;
    if (frame === undefined || target === undefined) continue;
    let calls: CreationRecord[] = [];
    if (functionOfCall.has(target)) calls = [target];
    else if (combinators.has(target) && followed(target)) calls = elementsOf.get(target) ?? [];
    if (calls.length === 0) continue;
    let from = keyOfFrame.get(frame);
    if (from === undefined) {
      from = functionKey(frame);
      keyOfFrame.set(frame, from);
    }
    edges.push({ member: { step, frame, target, calls, awaitedNames: [] }, from, calls });
    let next = graph.get(from);
    if (next === undefined) {
      next = new SafeSet();
      graph.set(from, next);
    }
    for (const call of calls) next.add(functionOfCall.get(call) as string);
  }
  // Only functions on a loop of "awaits a call of" can be in a ring: most programs have none, and the
  // count below then never runs.
  const looping = functionsOnLoops(graph);
  if (looping.size === 0) return [];

  // The largest closed set: drop functions whose counts do not match until none is left to drop.
  const callsOf: Map<string, number> = new SafeMap();
  for (const key of functionOfCall.values()) callsOf.set(key, (callsOf.get(key) ?? 0) + 1);
  const candidates = edges.filter((edge) => looping.has(edge.from));
  let members = looping;
  for (let size = -1; size !== members.size; ) {
    size = members.size;
    members = closedPart(members, candidates, functionOfCall, callsOf);
  }
  const rings = ringsOf(members, candidates, functionOfCall);
  for (const ring of rings) for (const member of ring) member.awaitedNames = member.calls.map(calledName);
  return rings;
}

const calledName = (call: CreationRecord) => calledFunction(call)?.functionName ?? '(anonymous)';

/** The functions of a small graph that can reach themselves. */
function functionsOnLoops(graph: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const looping: Set<string> = new SafeSet();
  for (const start of graph.keys()) {
    const seen: Set<string> = new SafeSet();
    const pending = [...(graph.get(start) ?? [])];
    while (pending.length > 0) {
      const name = pending.pop() as string;
      if (name === start) {
        looping.add(start);
        break;
      }
      if (seen.has(name)) continue;
      seen.add(name);
      for (const next of graph.get(name) ?? []) pending.push(next);
    }
  }
  return looping;
}

function followed(combinator: CreationRecord): boolean {
  const name = builtinName(ownStack(combinator)?.builtin);
  return name !== undefined && FOLLOWED_COMBINATORS.has(name);
}

/**
 * The functions of `members` each of whose pending calls awaits, and is awaited by, a call of functions
 * in `members`, counted in one pass over the edges.
 */
function closedPart(
  members: ReadonlySet<string>,
  edges: readonly Edge[],
  functionOfCall: ReadonlyMap<CreationRecord, string>,
  callsOf: ReadonlyMap<string, number>,
): Set<string> {
  const awaiting: Map<string, number> = new SafeMap();
  const awaited: Map<string, number> = new SafeMap();
  const seen: Set<CreationRecord> = new SafeSet();
  for (const edge of edges) {
    if (!members.has(edge.from)) continue;
    let inside = false;
    for (const call of edge.calls) {
      const name = functionOfCall.get(call) as string;
      if (!members.has(name)) continue;
      inside = true;
      if (seen.has(call)) continue;
      seen.add(call);
      awaited.set(name, (awaited.get(name) ?? 0) + 1);
    }
    if (inside) awaiting.set(edge.from, (awaiting.get(edge.from) ?? 0) + 1);
  }
  const kept: Set<string> = new SafeSet();
  for (const name of members) {
    const calls = callsOf.get(name) ?? 0;
    if (calls > 0 && awaiting.get(name) === calls && awaited.get(name) === calls) kept.add(name);
  }
  return kept;
}

/** The closed set split into rings that share no function, each member once, oldest step first. */
function ringsOf(
  members: ReadonlySet<string>,
  edges: readonly Edge[],
  functionOfCall: ReadonlyMap<CreationRecord, string>,
): CycleMember[][] {
  const inSet = edges.filter((edge) => members.has(edge.from));
  const ringOf: Map<string, number> = new SafeMap();
  const rings: CycleMember[][] = [];
  for (const edge of inSet) {
    const awaited = edge.calls.map((call) => functionOfCall.get(call) as string);
    const linked = [edge.from, ...awaited.filter((name) => members.has(name))];
    const known = linked.map((name) => ringOf.get(name)).filter((ring) => ring !== undefined);
    const ring = known.length > 0 ? Math.min(...known) : rings.length;
    if (ring === rings.length) rings.push([]);
    // Rings that this edge joins become one.
    for (const other of new SafeSet(known)) {
      if (other === ring) continue;
      rings[ring].push(...rings[other]);
      rings[other] = [];
      for (const [name, index] of ringOf) if (index === other) ringOf.set(name, ring);
    }
    for (const name of linked) ringOf.set(name, ring);
    rings[ring].push(edge.member);
  }
  return rings
    .filter((ring) => ring.length > 0)
    .map((ring) => ring.sort((a, b) => a.step.record.number - b.step.record.number));
}

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

import { awaitingFrame, calledFunction, functionKeyOf } from './awaitSteps';
import type { CreationRecord } from './creationRecord';
import { SafeMap, SafeSet } from './intrinsics';
import { builtinName } from './operationLinks';
import type { CapturedPromise, OperationParts } from './operationParts';
import { stackOf } from './siteResolution';
import type { Frame } from './stackTypes';

export interface CycleMember {
  step: CapturedPromise;
  /** Where the awaiting function waits. */
  frame: Frame;
  /** The call or combinator it awaits. */
  target: CreationRecord;
  /** The calls of the ring that target stands for (the elements of a combinator), by function name. */
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
  for (const item of parts.captured) {
    if (item.kind === 'combinator') combinators.add(item.record);
    if (item.kind !== 'call') continue;
    const key = functionKeyOf(calledFunction(item.record));
    if (key !== undefined) functionOfCall.set(item.record, key);
  }
  const elementsOf: Map<CreationRecord, CreationRecord[]> = new SafeMap();
  for (const call of functionOfCall.keys()) {
    const combinator = call.combinator;
    if (combinator === undefined || !combinators.has(combinator)) continue;
    elementsOf.set(combinator, [...(elementsOf.get(combinator) ?? []), call]);
  }

  const edges: Edge[] = [];
  for (const step of parts.steps) {
    const frame = awaitingFrame(step.read.frames);
    const target = step.record.awaits;
    const from = functionKeyOf(frame);
    if (frame === undefined || target === undefined || from === undefined) continue;
    let calls: CreationRecord[] = [];
    if (functionOfCall.has(target)) calls = [target];
    else if (combinators.has(target) && followed(target)) calls = elementsOf.get(target) ?? [];
    if (calls.length === 0) continue;
    const awaitedNames = calls.map((call) => calledFunction(call)?.functionName ?? '(anonymous)');
    edges.push({ member: { step, frame, target, awaitedNames }, from, calls });
  }

  // The largest closed set: drop functions whose counts do not match until none is left to drop.
  let members: Set<string> = new SafeSet(edges.map((edge) => edge.from));
  for (let changed = true; changed; ) {
    changed = false;
    const kept: Set<string> = new SafeSet();
    for (const name of members) if (closed(name, members, edges, functionOfCall)) kept.add(name);
    changed = kept.size !== members.size;
    members = kept;
  }
  return ringsOf(members, edges, functionOfCall);
}

function followed(combinator: CreationRecord): boolean {
  const name = builtinName(stackOf(combinator).builtin);
  return name !== undefined && FOLLOWED_COMBINATORS.has(name);
}

/** Whether every pending call of `name` awaits, and is awaited by, a call of functions in `members`. */
function closed(
  name: string,
  members: ReadonlySet<string>,
  edges: readonly Edge[],
  functionOfCall: ReadonlyMap<CreationRecord, string>,
): boolean {
  let calls = 0;
  for (const key of functionOfCall.values()) if (key === name) calls += 1;
  let awaiting = 0;
  const awaited: Set<CreationRecord> = new SafeSet();
  for (const edge of edges) {
    const inside = edge.calls.filter((call) => members.has(functionOfCall.get(call) as string));
    if (edge.from === name && inside.length > 0) awaiting += 1;
    if (!members.has(edge.from)) continue;
    for (const call of inside) if (functionOfCall.get(call) === name) awaited.add(call);
  }
  return calls > 0 && awaiting === calls && awaited.size === calls;
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

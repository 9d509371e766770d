// Pending async calls of the program that no captured wait passes through: chains whose innermost
// promise got no stack (the budget was spent) or is no `new Promise` (Node made it in C++: `fs/promises`,
// `dns/promises`). Each such chain is an operation too, found by counting: every function of the
// program in a captured wait's stack accounts for one pending call of that function, and of the calls
// left, one made inside another (A awaiting B) stands for both — the innermost.
//
// Where the innermost call called into Node (a pending call whose stack starts in Node's code and passes
// through it), that call's stack is the operation's, exact: it was captured where the chain waits. Else
// the operation has the call's own frames only, `inferred` — unless the function is suspended at an
// `await` on another operation that captured a stack (a step, awaitSteps.ts): then that is its wait.

import { awaitedOperation, awaitingFrame, framesBeforeTarget } from './awaitSteps';
import { SafeMap, SafeSet, SafeWeakMap } from './intrinsics';
import { leafAwaiting, unknownAwaiting } from './operationAwaiting';
import { functionKey, type OperationFrame, originOf } from './operationFrames';
import { type Operation, operation, type Shaped, shapeOf } from './operationModel';

type Counts = Map<string, number>;

function add(counts: Counts, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Takes one from a count; false when there was none. */
function take(counts: Counts, key: string): boolean {
  const left = counts.get(key) ?? 0;
  if (left === 0) return false;
  counts.set(key, left - 1);
  return true;
}

/** The program's functions a stack passes through, from `from` on; once per distinct stack. */
const functionsOf: WeakMap<readonly OperationFrame[], string[]> = new SafeWeakMap();

function ownFunctions(frames: readonly OperationFrame[], from = 0): string[] {
  let keys = functionsOf.get(frames);
  if (keys === undefined) {
    keys = [];
    for (const item of frames) if (item.origin === undefined) keys.push(functionKey(item.frame));
    functionsOf.set(frames, keys);
  }
  if (from === 0) return keys;
  // The first frame, when it is the program's, is the function itself.
  return frames[0]?.origin === undefined ? keys.slice(from) : keys;
}

/**
 * @param waits the captured waits: every leaf and combinator, operations and elements alike
 * @param calls pending async calls with a stack, elements of combinators left out
 */
export function uncoveredCallOperations(
  waits: readonly Shaped[],
  calls: readonly Shaped[],
  steps: readonly Shaped[] = [],
): Operation[] {
  const covered: Counts = new SafeMap();
  for (const wait of waits) for (const key of ownFunctions(wait.frames)) add(covered, key);
  const program: Shaped[] = [];
  const intoNode: Shaped[] = [];
  for (const call of calls) {
    const top = call.read.frames[0];
    if (top === undefined) continue;
    // Node's and libraries' async functions are always called by something: by the program, by Node,
    // or by the library itself (p-queue's `add` and `run`): never an operation of their own.
    if (top.internal || originOf(top) === 'library') intoNode.push(call);
    else if (!take(covered, functionKey(top))) program.push(call);
  }
  const inside: Counts = new SafeMap();
  for (const call of program) for (const key of ownFunctions(call.frames, 1)) add(inside, key);

  // Calls into Node by the program's functions they pass through, latest first: found in one look each.
  const intoNodeBy: Map<string, Shaped[]> = new SafeMap();
  for (const call of intoNode) {
    for (const key of new SafeSet(ownFunctions(call.frames))) {
      const list = intoNodeBy.get(key);
      if (list === undefined) intoNodeBy.set(key, [call]);
      else list.push(call);
    }
  }
  for (const list of intoNodeBy.values()) list.sort((a, b) => b.record.number - a.record.number);
  // Steps by the function that awaits, each used once, in order: one look per call.
  const stepsBy: Map<string, Shaped[]> = new SafeMap();
  for (const step of steps) {
    const top = awaitingFrame(step.read.frames);
    if (top === undefined) continue;
    const list = stepsBy.get(functionKey(top));
    if (list === undefined) stepsBy.set(functionKey(top), [step]);
    else list.push(step);
  }
  const used: Set<Shaped> = new SafeSet();
  const operations: Operation[] = [];
  for (const call of program) {
    const key = functionKey(call.read.frames[0]);
    if (take(inside, key)) continue;
    const deepest = intoNodeBy.get(key)?.find((candidate) => !used.has(candidate));
    if (deepest !== undefined) {
      used.add(deepest);
      const awaiting = leafAwaiting(undefined, deepest.frames, []);
      operations.push(operation(deepest.record, '', deepest.shape, awaiting, true));
      continue;
    }
    const step = stepsBy.get(key)?.pop();
    if (step?.record.awaits !== undefined) {
      const target = step.record.awaits;
      const shape = shapeOf(framesBeforeTarget(step.frames, target));
      operations.push(operation(step.record, '', shape, awaitedOperation(target), true));
      continue;
    }
    const frames = call.frames.map((item) => ({ ...item, inferred: true }));
    const awaiting = unknownAwaiting('no stack was captured for what it waits on');
    operations.push(operation(call.record, 'c', shapeOf(frames), awaiting, false));
  }
  return operations;
}

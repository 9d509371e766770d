// Awaits that say which operation waits on which. V8 gives an `await` on a native promise a promise of
// its own whose hook parent is the promise awaited (measured on Node 18–26), and a stack captured in the
// hook has the awaiting function on top, at the line of the `await`. The agent captures one (within the
// capture budget) only when the promise awaited is an async call's or a combinator's that has a record
// of its own (promiseTracker.ts): such a *step* then links the awaiting function, at its line, to the
// operation it waits on. Which *call* of that function awaits is not known (V8 shows a suspended
// function's outer promise to no hook), only the function: operationCycles.ts counts with that.

import type { CreationRecord } from './creationRecord';
import type { Awaiting } from './operationAwaiting';
import { functionKey, type OperationFrame } from './operationFrames';
import { builtinName } from './operationLinks';
import { ownStack } from './siteResolution';
import type { Frame } from './stackTypes';

/** The function an async call's record was made by: its own frame is on top of its stack. */
export function calledFunction(record: CreationRecord): Frame | undefined {
  const top = ownStack(record)?.frames[0];
  return top !== undefined && !top.internal ? top : undefined;
}

/** The awaiting function of a step, at the line of its `await`. */
export function awaitingFrame(stepFrames: readonly Frame[]): Frame | undefined {
  const top = stepFrames[0];
  return top !== undefined && !top.internal && !top.async ? top : undefined;
}

export function functionKeyOf(frame: Frame | undefined): string | undefined {
  return frame === undefined ? undefined : functionKey(frame);
}

/** What a step's operation waits on: `operation "fetchUser"`, or the combinator it awaits. */
export function awaitedOperation(target: CreationRecord): Awaiting {
  const called = calledFunction(target);
  if (target.elements !== undefined) {
    const combinator = builtinName(ownStack(target)?.builtin) ?? 'Promise.all';
    return { text: `${combinator} of operations`, kind: 'operation' };
  }
  return { text: `operation "${called?.functionName ?? '(anonymous)'}"`, kind: 'operation' };
}

/**
 * A step's frames up to the awaited function: past it, V8's async frames go round a ring of operations
 * awaiting one another (`second ← first ← second …`), which says nothing more.
 */
export function framesBeforeTarget(frames: OperationFrame[], target: CreationRecord): OperationFrame[] {
  const key = functionKeyOf(calledFunction(target));
  if (key === undefined) return frames;
  for (let index = 1; index < frames.length; index++)
    if (frames[index].origin === undefined && functionKey(frames[index].frame) === key)
      return frames.slice(0, index);
  return frames;
}

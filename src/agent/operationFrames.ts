// An operation's stack as the snapshot shows it, from the frames a capture read: whose code each frame
// is (the program's, a library's, Node's), which frames are shown, the key operations merge by, and the
// label of their group. Pure functions over plain frames.

import type { FrameOrigin, StackFrame } from '../snapshot/format';
import { baseName } from './groupTasks';
import type { Frame } from './stackTypes';

/** A frame of an operation: where, whose code, and whether the line is only the last one known. */
export interface OperationFrame {
  frame: Frame;
  /** Its place in the stack it was read from. */
  at: number;
  origin: FrameOrigin | undefined;
  inferred: boolean;
}

/** Node's own code (and the agent's) is `runtime`; anything under `node_modules` is a `library`. */
export function originOf(frame: Frame): FrameOrigin | undefined {
  if (frame.internal) return 'runtime';
  return frame.file.includes('/node_modules/') || frame.file.includes('\\node_modules\\')
    ? 'library'
    : undefined;
}

/**
 * The frames shown, innermost first: Node's frames on top (what the program called into: `once` in
 * `node:events`, a stream's iterator) are kept, Node's frames between the program's (the microtask
 * runner, the timer list) are not unless `includeInternals`; library frames are kept.
 */
export function shownFrames(frames: readonly Frame[], inferred: boolean, includeInternals: boolean) {
  const shown: OperationFrame[] = [];
  let reachedProgram = false;
  for (let at = 0; at < frames.length; at++) {
    const frame = frames[at];
    const origin = originOf(frame);
    if (origin === undefined) reachedProgram = true;
    // Node's frames on top of a known wait say what the program called into; on top of a context's
    // creation stack (`inferred`) they are only how a timer or socket came to be.
    else if (origin === 'runtime' && (reachedProgram || inferred) && !includeInternals) continue;
    shown.push({ frame, at, origin, inferred });
  }
  return shown;
}

/** `fetchJobData@/app/jobs.js`: a function, whatever line it is at. */
export function functionKey(frame: Frame): string {
  return `${frame.functionName ?? '(anonymous)'}@${frame.file}`;
}

/**
 * Cuts the callers of the operation's outermost async function: a stack captured while that function
 * still ran synchronously goes on into whatever called it (a loop in a timer callback), which is not
 * waiting for anything. `asyncFunctions` are the functions with a pending call of their own.
 */
export function cutCallers(frames: OperationFrame[], asyncFunctions: ReadonlySet<string>): OperationFrame[] {
  for (let index = frames.length - 1; index >= 0; index--) {
    if (frames[index].frame.async) return frames;
    if (frames[index].origin !== undefined) continue;
    if (asyncFunctions.has(functionKey(frames[index].frame))) return frames.slice(0, index + 1);
  }
  return frames;
}

/** What operations merge by: the program's frames, each as function, file and line. */
export function stackKey(frames: readonly OperationFrame[]): string {
  let key = '';
  for (const { frame, origin } of frames) {
    if (origin !== undefined) continue;
    key += `${frame.functionName ?? '(anonymous)'}@${frame.file}:${frame.line}\n`;
  }
  return key;
}

/**
 * The longest key made of `key`'s outer frames (a suffix of it, frame by frame) that `known` holds:
 * the wait or combinator a stack runs through. `proper`: leave out `key` itself.
 */
export function outerKeyIn(
  key: string,
  known: { has(key: string): boolean },
  proper: boolean,
): string | undefined {
  let start = proper ? key.indexOf('\n') + 1 : 0;
  if (proper && start === 0) return undefined;
  while (start < key.length) {
    const suffix = key.slice(start);
    if (known.has(suffix)) return suffix;
    const next = key.indexOf('\n', start);
    if (next === -1) return undefined;
    start = next + 1;
  }
  return undefined;
}

/** `httpGet ← fetchJobData ← runJob ← worker`: the program's functions, innermost first. */
export function stackLabel(frames: readonly OperationFrame[]): string {
  const own = frames.filter((item) => item.origin === undefined);
  const named = (own.length ? own : frames).map(
    ({ frame }) => frame.functionName ?? `(anonymous) ${baseName(frame.file)}:${frame.line}`,
  );
  return named.length ? named.join(' ← ') : '(no stack)';
}

/** The innermost frame of the program's own code: where the view opens an operation. */
export function innermostOwn(frames: readonly OperationFrame[]): Frame | undefined {
  return frames.find((item) => item.origin === undefined)?.frame;
}

/** The outermost frame of the program's own code: the function the operation began in. */
export function outermostOwn(frames: readonly OperationFrame[]): Frame | undefined {
  for (let index = frames.length - 1; index >= 0; index--)
    if (frames[index].origin === undefined) return frames[index].frame;
  return undefined;
}

/** What an operation is called: its outermost named function of the program's own code. */
export function operationName(frames: readonly OperationFrame[]): string | undefined {
  for (let index = frames.length - 1; index >= 0; index--) {
    const { origin, frame } = frames[index];
    if (origin === undefined && frame.functionName !== undefined) return frame.functionName;
  }
  return undefined;
}

export function toStackFrame(item: OperationFrame): StackFrame {
  const { frame } = item;
  const out: StackFrame = { file: frame.file, line: frame.line };
  if (frame.column !== undefined) out.column = frame.column;
  if (frame.functionName !== undefined) out.functionName = frame.functionName;
  if (item.origin !== undefined) out.origin = item.origin;
  if (item.inferred) out.inferred = true;
  return out;
}

// The shapes of creation stacks: captured (plain frames as V8 gave them, kept on records) and read
// (mapped to sources for a snapshot). Types only, so that records, capture and resolution can all
// name them without importing each other.
import type { SourceLocation } from '../snapshot/format';

/** One distinct frame as captured: shared by every stack that passes through it. */
export interface RawFrame {
  /** Distinct for every frame made: what interned stacks are told apart by (stackInterning.ts). */
  readonly id: number;
  /** As V8 names the script: a path, a `file://` URL, or `node:…`. */
  readonly file: string;
  readonly line: number;
  /** 1-based; 0 when V8 gave none. */
  readonly column: number;
  readonly functionName: string | undefined;
  /**
   * An async frame (V8's `isAsync()`): the function was suspended at this `await` when the stack was
   * captured, and is still, while what it awaits is pending. Otherwise the function was running there.
   */
  readonly async: boolean;
  /** Node's own code, or the agent's. */
  readonly internal: boolean;
  /** Node's dispatch of hooks to the agent: dropped from stacks. */
  readonly plumbing: boolean;
  /** The frame mapped to its source (and `file://` turned into a path), once a snapshot showed it. */
  mapped: Frame | undefined;
}

/**
 * Where a stack passes through a promise combinator (`async Promise.all (index 1)`): the frames from
 * `at` outward wait for the combinator; the frames before it belong to its element `index`.
 */
export interface CombinatorMark {
  readonly at: number;
  /** 'Promise.all', 'Promise.allSettled', 'Promise.any' (V8 gives `Promise.race` no frame). */
  readonly combinator: string;
  readonly index: number;
}

/** A creation stack as captured: plain data that keeps nothing of the program alive. */
export interface CapturedStack {
  /** Frames with a source location, innermost first. */
  readonly frames: readonly RawFrame[];
  /** A frame of the program's own code is among `frames` (not only Node's and the agent's). */
  readonly reachesProgram: boolean;
  /** Combinators the stack passes through, innermost first; absent when none. */
  readonly marks?: readonly CombinatorMark[];
  /** The stack read for snapshots, once for every promise that captured it (siteResolution.ts). */
  read?: ReadStack;
  /**
   * How the promise came to be, from the built-in frames on top of the stack: 'new Promise',
   * '.then()', '.catch()', 'Promise.all', …; undefined when user code is on top (an async function's
   * own promise, or the promise of an `await`).
   */
  readonly builtin: string | undefined;
}

/** A frame of a creation stack as a snapshot shows it, with whether it belongs to Node or the agent. */
export interface Frame extends SourceLocation {
  internal: boolean;
  /** An async frame: see RawFrame. */
  async: boolean;
}

export interface ReadStack {
  /** Frames with a source location, innermost first. */
  frames: Frame[];
  builtin: string | undefined;
  marks: readonly CombinatorMark[] | undefined;
  /** The first frame in the user's code: the creation site. */
  site: Frame | undefined;
}

/** A record's stack as a snapshot uses it: its own, or the nearest ancestor's that reaches user code. */
export interface ResolvedStack extends ReadStack {
  /** The record whose stack this is: the task's own, or the ancestor it inherits its site from. */
  source: object | undefined;
  /** Group keys of tasks with this site, made once: as their own site, and inherited ("within"). */
  ownKey?: string;
  withinKey?: string;
}

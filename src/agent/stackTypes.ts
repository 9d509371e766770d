// The shapes of creation stacks: captured (plain frames as V8 gave them, kept on records) and read
// (mapped to sources for a snapshot). Types only, so that records, capture and resolution can all
// name them without importing each other.
import type { SourceLocation } from '../snapshot/format';

/** One distinct frame as captured: shared by every stack that passes through it. */
export interface RawFrame {
  /** As V8 names the script: a path, a `file://` URL, or `node:…`. */
  readonly file: string;
  readonly line: number;
  /** 1-based; 0 when V8 gave none. */
  readonly column: number;
  readonly functionName: string | undefined;
  /** Node's own code, or the agent's. */
  readonly internal: boolean;
  /** Node's dispatch of hooks to the agent: dropped from stacks. */
  readonly plumbing: boolean;
  /** The frame mapped to its source (and `file://` turned into a path), once a snapshot showed it. */
  mapped: Frame | undefined;
}

/** A creation stack as captured: plain data that keeps nothing of the program alive. */
export interface CapturedStack {
  /** Frames with a source location, innermost first. */
  readonly frames: readonly RawFrame[];
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
}

export interface ReadStack {
  /** Frames with a source location, innermost first. */
  frames: Frame[];
  builtin: string | undefined;
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

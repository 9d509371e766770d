// The Async Stacks picture as plain data: what the merge produces, what the panel posts to the webview
// and what the webview lays out and draws. No `vscode` import and no DOM: the extension and the
// webview bundle both compile it.
import type { Runtime } from '../snapshot/format';

/** One frame of a box. Within a box, frames run from the caller (first) to the callee (last). */
export interface PictureFrame {
  functionName: string;
  file: string;
  line: number;
  column?: number;
}

/** A task as the hover lists it. */
export interface TaskSample {
  id: string;
  name?: string;
  state: string;
  ageMs?: number;
  awaiting?: string;
}

/**
 * frames: a stack segment that the same tasks share (Parallel Stacks' box);
 * group: a TaskGroup or nursery, between the task that owns it and its children;
 * more: the rare branches under one box, collapsed ("+N more").
 */
export type StackNodeKind = 'frames' | 'group' | 'more';

/**
 * calls: caller → callee across a branch point of the same tasks' stacks; owns: a task → the TaskGroup
 * or nursery it waits in; spawns: a TaskGroup or nursery → its child tasks; awaits: a task → the tasks
 * it awaits directly (asyncio's `gather`, `await task`); more: a box → its collapsed branches.
 */
export type StackEdgeKind = 'calls' | 'owns' | 'spawns' | 'awaits' | 'more';

export interface StackNode {
  /** Stable across snapshots for the same path of frames, so expansions and focus survive a refresh. */
  id: string;
  kind: StackNodeKind;
  /** `frames` boxes only. */
  frames: PictureFrame[];
  /** Tasks whose stacks run through the box; for `more`, the tasks it hides; for `group`, the scopes merged into it. */
  count: number;
  /** Tasks whose innermost frame is this box's last one. */
  endingCount: number;
  /** What those ending tasks await, most common first. */
  awaiting: Array<{ text: string; count: number }>;
  /** Some of the tasks through the box, oldest first (the hover). */
  tasks: TaskSample[];
  oldestAgeMs?: number;
  /** `group` boxes: `TaskGroup` or `Nursery`, and how many child tasks they have in all. */
  groupType?: string;
  childTasks?: number;
  /** `more` boxes: how many branches are folded in, and function names found in them (for search). */
  hiddenBranches?: number;
  hiddenNames?: string[];
}

export interface StackEdge {
  from: string;
  to: string;
  kind: StackEdgeKind;
}

/** What the stacks are, in the snapshot's words; `mixed` when tasks disagree. */
export type PictureStackKind = 'creation' | 'suspended' | 'mixed';

export interface StackGraph {
  runtime: Runtime;
  stackKind: PictureStackKind;
  /** Pending and running tasks considered (scopes and, unless asked, runtime internals left out). */
  totalTasks: number;
  /** Of those, tasks without any frame: not in the picture. */
  withoutStack: number;
  /** The source sent only some tasks (it aggregates large snapshots): counts are of the tasks sent. */
  truncated?: { totalTasks: number; sentTasks: number };
  nodes: StackNode[];
  edges: StackEdge[];
}

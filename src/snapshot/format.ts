// The one contract between the runtimes and the view: the snapshot format, documented in
// docs/snapshot-format.md and checked by snapshot.schema.json beside this file. The Node agent and
// the Python probe both produce it; the view renders it and nothing else. No `vscode` import here:
// the agent bundles these types and constants into the user's program.

/**
 * Bumped on any incompatible change; the view refuses snapshots of a newer version. The Python probe
 * cannot import this file: it repeats the number, and a unit test holds the two equal.
 */
export const SNAPSHOT_FORMAT_VERSION = 2;

export const RUNTIMES = ['node', 'asyncio', 'trio'] as const;
export type Runtime = (typeof RUNTIMES)[number];

/**
 * pending: not settled yet; running: executing right now (the task whose code is on the CPU);
 * resolved/rejected: a settled promise; done/cancelled: a finished Python task;
 * destroyed: an async resource Node has torn down.
 */
export const TASK_STATES = [
  'pending',
  'running',
  'resolved',
  'rejected',
  'done',
  'cancelled',
  'destroyed',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

/**
 * How a group's tasks belong together: the same logical stack (Node operations, merged the way
 * Parallel Stacks merges threads), where they were created, what they await, their coroutine, or
 * their type.
 */
export const GROUP_KINDS = ['stack', 'site', 'awaiting', 'coroutine', 'type'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

export const STACK_KINDS = ['creation', 'suspended'] as const;
export type StackKind = (typeof STACK_KINDS)[number];

/** Whose code a frame is: the program's own (no `origin`), a library it uses, or the runtime itself. */
export const FRAME_ORIGINS = ['library', 'runtime'] as const;
export type FrameOrigin = (typeof FRAME_ORIGINS)[number];

/** What a finding says is wrong (see `Finding`). */
export const FINDING_KINDS = ['cycle', 'lockCycle', 'stuck', 'orphan', 'growth'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const FINDING_SEVERITIES = ['error', 'warning', 'info'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** A place in source code. `line` and `column` are 1-based; `file` is an absolute path or a URL. */
export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
  functionName?: string;
}

export interface StackFrame extends SourceLocation {
  /** Absent for the program's own code; `library` (node_modules, site-packages) or `runtime` (Node's internals, asyncio, trio). */
  origin?: FrameOrigin;
  /**
   * The line is where the function was last known to be (where it called or created what it waits on),
   * not confirmed as where it is suspended now.
   */
  inferred?: boolean;
}

export interface Task {
  /** Unique within the snapshot. */
  id: string;
  /** The task that created or awaits this one (triggerAsyncId, awaiter, nursery owner); null at the root. */
  parentId: string | null;
  /** Python task name, or the async function a promise belongs to, when known. */
  name?: string;
  /**
   * `Operation` (Node: a chain of pending async work that nothing else pending awaits), `PROMISE`,
   * `Timeout`, `TCPWRAP`, … for Node; `Task` / `Future` for asyncio; `Task` / `Nursery` for trio.
   */
  type: string;
  state: TaskState;
  /** Milliseconds since the task (or operation) began. */
  ageMs?: number;
  /** Milliseconds it has waited at its current await, where known. */
  waitingMs?: number;
  /** What it waits on, in words a user reads: "asyncio.sleep(5)", "Queue.get()", "Lock.acquire()", "task worker-2". */
  awaiting?: string;
  /** Where it was created. */
  site?: SourceLocation;
  /** True when `site` is the nearest known ancestor's site, not this task's own ("within fetchUser"). */
  siteInherited?: boolean;
  /** Innermost first. */
  stack?: StackFrame[];
  /** What `stack` is: where the task was created (Node) or where it is suspended now (Python). */
  stackKind?: StackKind;
  /**
   * Node operations: who started it — the synchronous callers of its outermost async call when that
   * call was made (`takeOrders` in a `setInterval` callback), innermost first; absent when unknown.
   */
  startedBy?: StackFrame[];
  /** Created by Node or Python internals rather than the user's code. */
  internal?: boolean;
  /** Runtime-specific extras shown in the tooltip, e.g. a cancel scope's deadline or a loop's thread. */
  details?: Record<string, string | number | boolean>;
}

/** Tasks aggregated at the source: what the view shows first, expanded on demand. */
export interface TaskGroup {
  id: string;
  /** "fetchUser — api.ts:42", "Queue.get()", "Timeout". */
  label: string;
  kind: GroupKind;
  site?: SourceLocation;
  /** Every task of the group, including those not sent. */
  count: number;
  /** Counts per state, for the description ("317 pending"). */
  states?: Partial<Record<TaskState, number>>;
  /** What the group's tasks wait on, when they all wait on the same kind of thing ("socket read"). */
  awaiting?: string;
  /** The age of its oldest task. */
  oldestAgeMs?: number;
  /** The tasks sent with this snapshot (the first N); the rest are fetched when the group is expanded. */
  taskIds: string[];
}

/** Something that keeps the process alive: a server, a socket, a ref'd timer, a child process. */
export interface Handle {
  id: string;
  type: string;
  description: string;
  site?: SourceLocation;
  stack?: StackFrame[];
}

/** Why a program is stuck, as far as the runtime lets it be proven: a deadlock, a wait past a limit, work nothing can settle, growth. */
export interface Finding {
  /** Stable across snapshots of the same problem. */
  id: string;
  kind: FindingKind;
  severity: FindingSeverity;
  /** One sentence a user reads: "worker-1 and worker-2 wait for each other". */
  message: string;
  /** The tasks involved, in the order the message names them. */
  taskIds: string[];
  /** Where to look first. */
  site?: SourceLocation;
}

export interface Snapshot {
  version: number;
  runtime: Runtime;
  pid: number;
  /** Epoch milliseconds at which the snapshot was taken in the debuggee. */
  takenAt: number;
  tasks: Task[];
  groups?: TaskGroup[];
  handles?: Handle[];
  /** Present when not every task was sent. */
  truncated?: { totalTasks: number; sentTasks: number };
  /** A partial snapshot: what went wrong while collecting it. */
  error?: string;
  /** What the user should know to read the snapshot right (e.g. tracking paused under load). */
  notes?: string[];
  /** Why the program is stuck, found by the runtime; an empty list says it looked and found nothing. */
  findings?: Finding[];
}

// The rows of the Async Tasks tree as plain data: what each row shows and, for rows that expand, a
// function giving its children. Built by taskRows.ts from the session store; turned into TreeItems by
// treeItems.ts, the one place that switches on a row's kind. Integration tests read these same rows.
import type { Finding, Handle, StackFrame, Task } from '../../snapshot/format';
import type { GroupChange } from '../diff';
import type { SessionState } from '../state/sessionStore';
import type { FilteredGroup } from '../taskFilter';

export type Severity = 'info' | 'warning' | 'error' | 'progress';

interface RowBase {
  /** Unique in the tree and stable across refreshes, so VS Code keeps what the user expanded. */
  id: string;
  sessionId: string;
  parent?: Row;
  /** The rows below this one, built when VS Code asks (absent: the row does not expand). */
  expand?: () => Row[];
}

export interface SessionRow extends RowBase {
  kind: 'session';
  session: SessionState;
  /** Tasks it shows now, counting those the source did not send; undefined before a snapshot. */
  taskCount?: number;
}

export interface MessageRow extends RowBase {
  kind: 'message';
  severity: Severity;
  text: string;
  detail?: string;
  /** A command the row runs when selected ("Show Log", "Clear Filter"). */
  action?: { command: string; title: string; arguments?: unknown[] };
}

export interface GroupRow extends RowBase {
  kind: 'group';
  group: FilteredGroup;
  /** When comparing: the change since the previous snapshot, received at `comparedWith`. */
  change?: GroupChange;
  comparedWith?: number;
  stale: boolean;
}

export interface TaskRow extends RowBase {
  kind: 'task';
  task: Task;
  childCount: number;
  stale: boolean;
}

/** One frame of a suspended task's stack. */
export interface FrameRow extends RowBase {
  kind: 'frame';
  frame: StackFrame;
  stale: boolean;
  /** A caller that started the operation (its `startedBy`), below the frames where it waits. */
  starter?: boolean;
}

export interface HandlesRow extends RowBase {
  kind: 'handles';
  handles: Handle[];
  /** False when the view's filter narrows the tasks in ways that do not apply to handles (types, age). */
  filtered: boolean;
}

export interface HandleRow extends RowBase {
  kind: 'handle';
  handle: Handle;
  /** Alike handles (same type, description and site) shown as one row: twenty "setTimeout 5 ms". */
  count: number;
}

/** "Problems" at the top of a session: its findings, or a row saying none were found. */
export interface FindingsRow extends RowBase {
  kind: 'findings';
  findings: Finding[];
}

export interface FindingRow extends RowBase {
  kind: 'finding';
  finding: Finding;
  /** The finding's tasks that the snapshot holds, in the finding's order. */
  members: Task[];
}

export interface MoreRow extends RowBase {
  kind: 'more';
  /** The row whose list continues (its id). */
  listId: string;
  remaining: number;
  /** Set when the rest lives in the program and has to be fetched (a group the source truncated). */
  fetch?: { sourceGroupId: string; offset: number };
}

export type Row =
  | SessionRow
  | MessageRow
  | FindingsRow
  | FindingRow
  | GroupRow
  | TaskRow
  | FrameRow
  | HandlesRow
  | HandleRow
  | MoreRow;

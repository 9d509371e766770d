// Builds the rows of the Async Tasks tree from the session store and the view options: a row per
// session, its messages, what keeps the program alive, and its groups (or its parent tree), each
// expanding into its tasks. Long lists end in a "show more" row. Pure: no `vscode` import.
import type { Task } from '../../snapshot/format';
import type { ParentTree } from '../parentTree';
import { ChangeSignal } from '../state/changeSignal';
import type { SessionState, SessionStore } from '../state/sessionStore';
import type { ViewOptionsStore } from '../state/viewOptions';
import { type FilteredGroup, filterHandles } from '../taskFilter';
import { findingsRow } from './findingRows';
import { frameRows } from './frameRows';
import { handleRows } from './handleRows';
import type { GroupRow, HandlesRow, MoreRow, Row, SessionRow, TaskRow } from './rowTypes';
import { SessionDigests } from './sessionDigest';
import { filterMessages, listMessages, statusMessages } from './sessionMessages';

export class TaskRows {
  private readonly digests = new SessionDigests();
  /** How many rows each list shows, by the list's row id; grows with "show more". */
  private readonly pageLimits = new Map<string, number>();
  private readonly signal = new ChangeSignal();
  /** Fires when rows change without a change of sessions or options ("show more"). */
  readonly onDidChange = this.signal.event;

  constructor(
    private readonly store: SessionStore,
    private readonly viewOptions: ViewOptionsStore,
    /** Rows per list before a "show more" row; keeps 100 000 tasks from reaching the tree at once. */
    private readonly pageSize: number,
    /** How long a task waits before it counts as stuck (`asyncToolkit.tasks.stuckAfterSeconds`). */
    private readonly stuckAfterMs: () => number = () => 10_000,
  ) {}

  /** The top rows: sessions without a shown parent session. */
  roots(): Row[] {
    const sessions = this.store.sessions();
    const shown = new Set(sessions.map((session) => session.id));
    this.digests.keepOnly(shown);
    return sessions
      .filter((session) => !session.parentId || !shown.has(session.parentId))
      .map((session) => this.sessionRow(session));
  }

  /** Tasks a session shows now (the badge and the session row's count). */
  countOf(session: SessionState): number {
    return this.digests.countOf(session, this.viewOptions.current.filter);
  }

  /** The groups a session shows now. */
  groupsOf(session: SessionState): FilteredGroup[] {
    return this.digests.groupsOf(session, this.viewOptions.current.filter);
  }

  /** Why a session's program is stuck; undefined before its first snapshot. */
  findingsOf(session: SessionState) {
    return this.digests.findingsOf(session, this.viewOptions.current.filter, this.stuckAfterMs());
  }

  /** "Show more" on a list held in the view. */
  showMore(listId: string): void {
    this.pageLimits.set(listId, (this.pageLimits.get(listId) ?? this.pageSize) + this.pageSize);
    this.signal.fire();
  }

  dispose(): void {
    this.signal.dispose();
  }

  private sessionRow(session: SessionState, parent?: Row): SessionRow {
    const row: SessionRow = {
      kind: 'session',
      id: session.id,
      sessionId: session.id,
      parent,
      session,
      taskCount: session.snapshot ? this.countOf(session) : undefined,
    };
    row.expand = () => this.sessionChildren(row);
    return row;
  }

  private sessionChildren(row: SessionRow): Row[] {
    const { session } = row;
    const { filter, mode, compare } = this.viewOptions.current;
    const result: Row[] = this.store
      .sessions()
      .filter((child) => child.parentId === session.id)
      .map((child) => this.sessionRow(child, row));
    result.push(...statusMessages(row, mode), ...filterMessages(row, filter));
    const snapshot = session.snapshot;
    if (!snapshot) return result;
    const findings = this.findingsOf(session);
    if (findings) result.push(findingsRow(row, findings, snapshot.tasks));
    const shownHandles = filterHandles(snapshot.handles ?? [], filter);
    if (shownHandles.handles.length) {
      const handles: HandlesRow = {
        kind: 'handles',
        id: `${session.id}/handles`,
        sessionId: session.id,
        parent: row,
        handles: shownHandles.handles,
        filtered: shownHandles.complete,
      };
      handles.expand = () => handleRows(handles, handles.handles);
      result.push(handles);
    }
    const groups = this.groupsOf(session);
    result.push(...listMessages(row, { filter, compare, mode, groupCount: groups.length }));
    if (groups.length === 0) return result;
    if (mode === 'tree') {
      const tree = this.digests.treeOf(session, filter);
      return [
        ...result,
        ...this.page(
          row,
          tree.roots.map((task) => this.treeTaskRow(row, task, tree)),
        ),
      ];
    }
    const changes = compare ? this.digests.changesOf(session, filter) : undefined;
    let rows = groups.map((group) => this.groupRow(row, group));
    if (changes) {
      for (const groupRow of rows) {
        groupRow.change = changes.get(groupRow.group.key);
        groupRow.comparedWith = session.previous?.receivedAt;
      }
      rows = rows.sort((a, b) => (b.change?.delta ?? 0) - (a.change?.delta ?? 0));
    }
    return [...result, ...this.page(row, rows)];
  }

  private groupRow(parent: SessionRow, group: FilteredGroup): GroupRow {
    const row: GroupRow = {
      kind: 'group',
      id: `${parent.session.id}/group:${group.key}`,
      sessionId: parent.session.id,
      parent,
      group,
      stale: parent.session.stale,
    };
    // A group with no task at hand (the fallback's promise counts) has nothing to expand to.
    if (group.tasks.length > 0) row.expand = () => this.groupChildren(row);
    return row;
  }

  private groupChildren(row: GroupRow): Row[] {
    const { group } = row;
    const rows = group.tasks.map((task) => {
      const taskRow: TaskRow = {
        kind: 'task',
        id: `${row.id}/task:${task.id}`,
        sessionId: row.sessionId,
        parent: row,
        task,
        childCount: 0,
        stale: row.stale,
      };
      // Where it waits, frame by frame: the chain of calls down to what it waits on.
      const stack = task.stackKind === 'suspended' ? task.stack : undefined;
      if (stack?.length) taskRow.expand = () => frameRows(taskRow, stack, task.startedBy);
      return taskRow;
    });
    const paged = this.page(row, rows);
    const missing = group.count - group.tasks.length;
    if (paged.length === rows.length && missing > 0 && group.sourceGroupId && !group.approximate) {
      paged.push({
        kind: 'more',
        id: `${row.id}/fetch-more`,
        sessionId: row.sessionId,
        parent: row,
        listId: row.id,
        remaining: missing,
        fetch: { sourceGroupId: group.sourceGroupId, offset: group.tasks.length },
      });
    }
    return paged;
  }

  private treeTaskRow(parent: Row, task: Task, tree: ParentTree): TaskRow {
    const stale = parent.kind === 'session' ? parent.session.stale : parent.kind === 'task' && parent.stale;
    const children = tree.children.get(task.id) ?? [];
    const row: TaskRow = {
      kind: 'task',
      id: `${parent.sessionId}/tree:${task.id}`,
      sessionId: parent.sessionId,
      parent,
      task,
      childCount: children.length,
      stale,
    };
    if (children.length > 0)
      row.expand = () =>
        this.page(
          row,
          children.map((child) => this.treeTaskRow(row, child, tree)),
        );
    return row;
  }

  /** The first rows of a long list, then one "show more" row. */
  private page<T extends Row>(list: Row, rows: T[]): (T | MoreRow)[] {
    const limit = this.pageLimits.get(list.id) ?? this.pageSize;
    if (rows.length <= limit) return rows;
    const shown: (T | MoreRow)[] = rows.slice(0, limit);
    shown.push({
      kind: 'more',
      id: `${list.id}/more`,
      sessionId: list.sessionId,
      parent: list,
      listId: list.id,
      remaining: rows.length - limit,
    });
    return shown;
  }
}

// What the "Async Tasks" tree contains, as plain data: sessions, messages, groups, tasks, the
// handles that keep a program alive, and "show more" rows. The tree provider only turns these
// elements into TreeItems, so everything shown here is unit-tested without VS Code, and the
// integration tests read the same elements through the extension's API.

import type { Handle, Snapshot, Task } from '../snapshot/format';
import { compareGroups, type GroupChange } from './diff';
import { groupSnapshot, type ViewGroup } from './grouping';
import { buildParentTree, type ParentTree } from './parentTree';
import { type FilteredGroup, filterGroups, isNarrowing, type TaskFilter, taskMatches } from './taskFilter';

export type SessionStatus = 'running' | 'paused' | 'exited';

/** What the view knows about one debug session; kept by the session watcher. */
export interface SessionView {
  id: string;
  /** The debug session's name: js-debug puts the process name and pid in it. */
  name: string;
  parentId?: string;
  debugType: string;
  /** The source that understands this session ("Node.js", "Python"), if any does. */
  sourceLabel?: string;
  /** False for a Python session: its debugger evaluates only while paused. */
  capturesWhileRunning: boolean;
  status: SessionStatus;
  snapshot?: Snapshot;
  /** When the view received `snapshot`, in the extension host's clock. */
  receivedAt?: number;
  previous?: { snapshot: Snapshot; receivedAt: number };
  /** The program ran after `snapshot` was taken. */
  stale: boolean;
  capturing: boolean;
  /** Why the last capture failed, in words for the user. */
  error?: string;
  /** Tasks fetched later for a source group, by the source's group id. */
  extraTasks: Map<string, Task[]>;
}

export type ViewMode = 'grouped' | 'tree';

export type Severity = 'info' | 'warning' | 'error' | 'progress';

interface ElementBase {
  /** Unique in the tree and stable across refreshes, so VS Code keeps what the user expanded. */
  id: string;
  sessionId: string;
  parent?: TaskTreeElement;
}
export interface SessionElement extends ElementBase {
  kind: 'session';
  session: SessionView;
}
export interface MessageElement extends ElementBase {
  kind: 'message';
  severity: Severity;
  text: string;
  detail?: string;
  /** A command the row runs when selected ("Show Log", "Open Settings"). */
  action?: { command: string; title: string; arguments?: unknown[] };
}
export interface GroupElement extends ElementBase {
  kind: 'group';
  group: FilteredGroup;
  change?: GroupChange;
  stale: boolean;
}
export interface TaskElement extends ElementBase {
  kind: 'task';
  task: Task;
  childCount: number;
  stale: boolean;
}
export interface HandlesElement extends ElementBase {
  kind: 'handles';
  handles: Handle[];
}
export interface HandleElement extends ElementBase {
  kind: 'handle';
  handle: Handle;
  /** Alike handles (same type, description and site) shown as one row: twenty "setTimeout 5 ms". */
  count: number;
}
export interface MoreElement extends ElementBase {
  kind: 'more';
  /** The element whose list continues (its id). */
  listId: string;
  remaining: number;
  /** Set when the rest lives in the program and has to be fetched (a group the source truncated). */
  fetch?: { sourceGroupId: string; offset: number };
}

export type TaskTreeElement =
  | SessionElement
  | MessageElement
  | GroupElement
  | TaskElement
  | HandlesElement
  | HandleElement
  | MoreElement;

export interface TreeOptions {
  mode: ViewMode;
  filter: TaskFilter;
  /** Show each group's change since the session's previous snapshot. */
  compare: boolean;
  /** Rows per list before a "show more" row; keeps 100 000 tasks from reaching the tree at once. */
  pageSize: number;
}

/** 09:41:07 in the extension host's local time. */
export function formatClock(epochMs: number): string {
  const date = new Date(epochMs);
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
}

interface SessionCache {
  snapshot: Snapshot;
  extraVersion: number;
  groups: ViewGroup[];
  filterKey?: string;
  filtered?: FilteredGroup[];
  tree?: ParentTree;
  previousGroups?: { snapshot: Snapshot; groups: ViewGroup[] };
}

export class TaskTreeModel {
  private readonly caches = new Map<string, SessionCache>();
  /** How many rows each list shows, by the list's element id; grows with "show more". */
  private readonly pageLimits = new Map<string, number>();

  constructor(
    private readonly sessions: () => readonly SessionView[],
    public options: TreeOptions,
  ) {}

  /** Forget per-session work for a session that is gone. */
  forget(sessionId: string): void {
    this.caches.delete(sessionId);
    for (const key of this.pageLimits.keys())
      if (key.startsWith(`${sessionId}/`)) this.pageLimits.delete(key);
  }

  /** "Show more" on a list held in the view. */
  showMore(listId: string): void {
    this.pageLimits.set(
      listId,
      (this.pageLimits.get(listId) ?? this.options.pageSize) + this.options.pageSize,
    );
  }

  roots(): TaskTreeElement[] {
    const all = this.sessions();
    const shown = new Set(all.map((session) => session.id));
    return all
      .filter((session) => !session.parentId || !shown.has(session.parentId))
      .map((session) => this.sessionElement(session));
  }

  children(element?: TaskTreeElement): TaskTreeElement[] {
    if (!element) return this.roots();
    switch (element.kind) {
      case 'session':
        return this.sessionChildren(element);
      case 'group':
        return this.groupChildren(element);
      case 'task':
        return this.taskChildren(element);
      case 'handles':
        return this.handleRows(element);
      default:
        return [];
    }
  }

  /** The groups a session shows now (filtered), for the badge and for tests. */
  groupsOf(session: SessionView): FilteredGroup[] {
    const cache = this.cacheOf(session);
    if (!cache) return [];
    const filterKey = JSON.stringify(this.options.filter);
    if (cache.filterKey !== filterKey || !cache.filtered) {
      cache.filterKey = filterKey;
      cache.filtered = filterGroups(cache.groups, this.options.filter);
      cache.tree = undefined;
    }
    return cache.filtered;
  }

  /** Tasks a session shows now, counting those the source did not send. */
  countOf(session: SessionView): number {
    let total = 0;
    for (const group of this.groupsOf(session)) total += group.count;
    return total;
  }

  private cacheOf(session: SessionView): SessionCache | undefined {
    const snapshot = session.snapshot;
    if (!snapshot) return undefined;
    const extraVersion = [...session.extraTasks.values()].reduce((sum, tasks) => sum + tasks.length, 0);
    let cache = this.caches.get(session.id);
    if (!cache || cache.snapshot !== snapshot || cache.extraVersion !== extraVersion) {
      cache = {
        snapshot,
        extraVersion,
        groups: groupSnapshot(snapshot, session.extraTasks),
        previousGroups: cache?.previousGroups,
      };
      this.caches.set(session.id, cache);
    }
    return cache;
  }

  private sessionElement(session: SessionView): SessionElement {
    return { kind: 'session', id: session.id, sessionId: session.id, session };
  }

  private message(
    parent: TaskTreeElement,
    key: string,
    severity: Severity,
    text: string,
    extra?: Partial<MessageElement>,
  ): MessageElement {
    return {
      kind: 'message',
      id: `${parent.id}/message:${key}`,
      sessionId: parent.sessionId,
      parent,
      severity,
      text,
      ...extra,
    };
  }

  private sessionChildren(element: SessionElement): TaskTreeElement[] {
    const session = element.session;
    const result: TaskTreeElement[] = this.sessions()
      .filter((child) => child.parentId === session.id)
      .map((child) => ({ ...this.sessionElement(child), parent: element }));
    result.push(...this.sessionMessages(element));
    const snapshot = session.snapshot;
    if (!snapshot) return result;
    if (snapshot.handles?.length) {
      result.push({
        kind: 'handles',
        id: `${session.id}/handles`,
        sessionId: session.id,
        parent: element,
        handles: snapshot.handles,
      });
    }
    const groups = this.groupsOf(session);
    if (groups.length === 0) {
      const narrowed = isNarrowing(this.options.filter);
      result.push(
        this.message(
          element,
          'empty',
          'info',
          narrowed ? 'No task matches the filter.' : 'No pending tasks.',
          narrowed ? { action: { command: 'asyncToolkit.clearTaskFilter', title: 'Clear Filter' } } : {},
        ),
      );
      return result;
    }
    if (this.options.mode === 'tree') return [...result, ...this.treeRoots(element, session, groups)];
    const changes = this.options.compare ? this.changesOf(session, groups) : undefined;
    if (this.options.compare && !changes) {
      result.push(
        this.message(element, 'compare', 'info', 'Nothing to compare with yet: refresh again later.'),
      );
    }
    let rows: GroupElement[] = groups.map((group) => ({
      kind: 'group',
      id: `${session.id}/group:${group.key}`,
      sessionId: session.id,
      parent: element,
      group,
      change: changes?.get(group.key),
      stale: session.stale,
    }));
    if (changes) rows = rows.sort((a, b) => (b.change?.delta ?? 0) - (a.change?.delta ?? 0));
    return [...result, ...this.page(element, rows)];
  }

  private sessionMessages(element: SessionElement): MessageElement[] {
    const session = element.session;
    const messages: MessageElement[] = [];
    if (!session.sourceLabel) {
      messages.push(
        this.message(
          element,
          'unsupported',
          'info',
          `Async Tasks shows Node.js and Python programs; this is a “${session.debugType}” session.`,
        ),
      );
      return messages;
    }
    if (session.status === 'exited') {
      const when = session.receivedAt ? `; its last snapshot is from ${formatClock(session.receivedAt)}` : '';
      messages.push(this.message(element, 'exited', 'info', `The program exited${when}.`));
    }
    if (session.capturing)
      messages.push(this.message(element, 'capturing', 'progress', 'Taking a snapshot…'));
    if (session.error) {
      messages.push(
        this.message(element, 'error', 'error', session.error, {
          action: { command: 'asyncToolkit.showLog', title: 'Show Log' },
        }),
      );
    }
    if (session.snapshot?.error) {
      messages.push(
        this.message(element, 'partial', 'warning', session.snapshot.error, {
          action: { command: 'asyncToolkit.showLog', title: 'Show Log' },
        }),
      );
    }
    for (const [index, note] of (session.snapshot?.notes ?? []).entries()) {
      messages.push(this.message(element, `note-${index}`, 'info', note));
    }
    if (!session.snapshot && !session.capturing && !session.error && session.status === 'running') {
      messages.push(
        this.message(
          element,
          'waiting',
          'info',
          session.capturesWhileRunning
            ? 'Running: pause it or press Refresh to see its tasks.'
            : `Running: pause it to see its tasks (${session.sourceLabel} programs are inspected while paused).`,
        ),
      );
    }
    const truncated = session.snapshot?.truncated;
    if (truncated && this.options.mode === 'tree') {
      messages.push(
        this.message(
          element,
          'truncated',
          'info',
          `The tree shows the ${truncated.sentTasks} of ${truncated.totalTasks} tasks the program sent; switch to groups to load more.`,
        ),
      );
    }
    return messages;
  }

  private changesOf(
    session: SessionView,
    groups: readonly FilteredGroup[],
  ): Map<string, GroupChange> | undefined {
    const previous = session.previous;
    const cache = this.caches.get(session.id);
    if (!previous || !cache) return undefined;
    if (cache.previousGroups?.snapshot !== previous.snapshot) {
      cache.previousGroups = { snapshot: previous.snapshot, groups: groupSnapshot(previous.snapshot) };
    }
    const before = filterGroups(cache.previousGroups.groups, this.options.filter);
    return new Map(compareGroups(before, groups).map((change) => [change.key, change]));
  }

  private groupChildren(element: GroupElement): TaskTreeElement[] {
    const group = element.group;
    const rows: TaskElement[] = group.tasks.map((task) => ({
      kind: 'task',
      id: `${element.id}/task:${task.id}`,
      sessionId: element.sessionId,
      parent: element,
      task,
      childCount: 0,
      stale: element.stale,
    }));
    const paged = this.page(element, rows);
    const missing = group.count - group.tasks.length;
    if (paged.length === rows.length && missing > 0 && group.sourceGroupId && !group.approximate) {
      paged.push({
        kind: 'more',
        id: `${element.id}/fetch-more`,
        sessionId: element.sessionId,
        parent: element,
        listId: element.id,
        remaining: missing,
        fetch: { sourceGroupId: group.sourceGroupId, offset: group.tasks.length },
      });
    }
    return paged;
  }

  private treeOf(session: SessionView, groups: readonly FilteredGroup[]): ParentTree {
    const cache = this.caches.get(session.id);
    if (cache?.tree) return cache.tree;
    const tasks = groups
      .flatMap((group) => group.tasks)
      .filter((task) => taskMatches(task, this.options.filter));
    const tree = buildParentTree(tasks);
    if (cache) cache.tree = tree;
    return tree;
  }

  private treeRoots(
    element: SessionElement,
    session: SessionView,
    groups: readonly FilteredGroup[],
  ): TaskTreeElement[] {
    const tree = this.treeOf(session, groups);
    return this.page(
      element,
      tree.roots.map((task) => this.treeTask(element, task, tree, session.stale)),
    );
  }

  private treeTask(parent: TaskTreeElement, task: Task, tree: ParentTree, stale: boolean): TaskElement {
    return {
      kind: 'task',
      id: `${parent.sessionId}/tree:${task.id}`,
      sessionId: parent.sessionId,
      parent,
      task,
      childCount: tree.children.get(task.id)?.length ?? 0,
      stale,
    };
  }

  private taskChildren(element: TaskElement): TaskTreeElement[] {
    if (element.childCount === 0) return [];
    const session = this.sessions().find((candidate) => candidate.id === element.sessionId);
    if (!session) return [];
    const tree = this.treeOf(session, this.groupsOf(session));
    const children = tree.children.get(element.task.id) ?? [];
    return this.page(
      element,
      children.map((task) => this.treeTask(element, task, tree, element.stale)),
    );
  }

  private handleRows(element: HandlesElement): HandleElement[] {
    const rows = new Map<string, HandleElement>();
    for (const handle of element.handles) {
      const key = `${handle.type}|${handle.description}|${handle.site ? `${handle.site.file}:${handle.site.line}` : ''}`;
      const row = rows.get(key);
      if (row) row.count += 1;
      else
        rows.set(key, {
          kind: 'handle',
          id: `${element.id}/${handle.id}`,
          sessionId: element.sessionId,
          parent: element,
          handle,
          count: 1,
        });
    }
    return [...rows.values()];
  }

  /** The first rows of a long list, then one "show more" row. */
  private page<T extends TaskTreeElement>(list: TaskTreeElement, rows: T[]): (T | MoreElement)[] {
    const limit = this.pageLimits.get(list.id) ?? this.options.pageSize;
    if (rows.length <= limit) return rows;
    const shown: (T | MoreElement)[] = rows.slice(0, limit);
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

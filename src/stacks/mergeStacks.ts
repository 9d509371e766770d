// Merges the stacks of a snapshot's tasks into one tree of segments, the way Visual Studio's Parallel
// Stacks merges threads: tasks whose stacks start with the same frames share those boxes, and a box ends
// where the tasks through it go different ways (or some of them end). Works on `stack` whatever its
// `stackKind` (Node sends creation stacks today, Python suspended ones); the picture says which.
//
// Structured concurrency joins the trees: a Python task whose parent is a TaskGroup or nursery hangs
// under that scope, and the scope under the box where its owner task waits, so the children of a
// thousand identical nurseries merge too. A Python task whose parent is another task (gather, await)
// hangs under that task's innermost box. Node's `parentId` is promise plumbing, not structure: ignored.
import type { Runtime, Snapshot, StackFrame, Task } from '../snapshot/format';
import { childId } from './stableId';
import type { PictureFrame, PictureStackKind, StackEdgeKind, TaskSample } from './stackGraph';

/** Parents that are scopes of structured concurrency rather than tasks. */
const SCOPE_TYPES: ReadonlySet<string> = new Set(['TaskGroup', 'Nursery']);
const SHOWN_STATES: ReadonlySet<string> = new Set(['pending', 'running']);

export interface MergeOptions {
  /** Keep tasks the runtime marks `internal` (its own helpers); off by default, as in the view. */
  includeInternal?: boolean;
  /** Tasks kept per box for the hover. */
  sampleSize?: number;
}

/** A box of the merged tree, before collapsing. */
export interface Segment {
  id: string;
  kind: 'frames' | 'group';
  frames: PictureFrame[];
  count: number;
  endingCount: number;
  /** Awaiting text → tasks, for the tasks whose innermost frame is this segment's last. */
  awaiting: Map<string, number>;
  tasks: TaskSample[];
  oldestAgeMs?: number;
  groupType?: string;
  /** How the edge from the parent segment reads. */
  edgeKind: StackEdgeKind;
  parent?: Segment;
  /** Most tasks first. */
  children: Segment[];
}

export interface MergedStacks {
  runtime: Runtime;
  stackKind: PictureStackKind;
  totalTasks: number;
  withoutStack: number;
  truncated?: { totalTasks: number; sentTasks: number };
  /** Most tasks first. */
  roots: Segment[];
  /** The segment where each task's own stack ends (the findings' seam: a task id → its box). */
  leafOfTask: ReadonlyMap<string, Segment>;
}

/** One frame (or scope) on a path through the tasks' stacks, before segments are formed. */
interface TrieNode {
  id: string;
  kind: 'frames' | 'group';
  frame?: PictureFrame;
  groupType?: string;
  edgeKind: StackEdgeKind;
  parent?: TrieNode;
  children: Map<string, TrieNode>;
  count: number;
  endingCount: number;
  awaiting: Map<string, number>;
  sample: Task[];
  oldestAgeMs?: number;
  /** For scopes: the distinct TaskGroup/nursery ids merged here. */
  scopeIds?: Set<string>;
}

const ROOT_ID = 'root';

function pictureFrame(frame: StackFrame): PictureFrame {
  const shown: PictureFrame = {
    functionName: frame.functionName || '(anonymous)',
    file: frame.file,
    line: frame.line,
  };
  if (frame.column !== undefined) shown.column = frame.column;
  return shown;
}

/** Frames that merge: the same function at the same line of the same file (columns may differ). */
function frameKey(frame: StackFrame): string {
  return `${frame.file}\u0000${frame.line}\u0000${frame.functionName ?? ''}`;
}

/** Oldest first; unknown ages last. */
function byAgeDescending(a: Task, b: Task): number {
  return (b.ageMs ?? -1) - (a.ageMs ?? -1);
}

function sampleOf(task: Task): TaskSample {
  const sample: TaskSample = { id: task.id, state: task.state };
  if (task.name !== undefined) sample.name = task.name;
  if (task.ageMs !== undefined) sample.ageMs = task.ageMs;
  if (task.awaiting !== undefined) sample.awaiting = task.awaiting;
  return sample;
}

export function mergeStacks(snapshot: Snapshot, options: MergeOptions = {}): MergedStacks {
  const sampleSize = options.sampleSize ?? 20;
  const structured = snapshot.runtime !== 'node';
  const byId = new Map<string, Task>();
  for (const task of snapshot.tasks) byId.set(task.id, task);

  const isShown = (task: Task) =>
    SHOWN_STATES.has(task.state) &&
    !SCOPE_TYPES.has(task.type) &&
    (options.includeInternal || !task.internal);
  const root: TrieNode = newNode(ROOT_ID, 'frames', 'calls');
  const leafOf = new Map<string, TrieNode>();
  const visiting = new Set<string>();
  const kinds = new Set<string>();
  let totalTasks = 0;
  let withoutStack = 0;

  function newNode(id: string, kind: TrieNode['kind'], edgeKind: StackEdgeKind, parent?: TrieNode): TrieNode {
    return {
      id,
      kind,
      edgeKind,
      parent,
      children: new Map(),
      count: 0,
      endingCount: 0,
      awaiting: new Map(),
      sample: [],
    };
  }

  function child(parent: TrieNode, key: string, make: (id: string) => TrieNode): TrieNode {
    let node = parent.children.get(key);
    if (!node) {
      node = make(childId(parent.id, key));
      parent.children.set(key, node);
    }
    return node;
  }

  function record(node: TrieNode, task: Task): void {
    node.count++;
    if (task.ageMs !== undefined && (node.oldestAgeMs === undefined || task.ageMs > node.oldestAgeMs))
      node.oldestAgeMs = task.ageMs;
    node.sample.push(task);
    // Keep the oldest few: sort now and then rather than on every task.
    if (node.sample.length >= sampleSize * 2)
      node.sample = node.sample.sort(byAgeDescending).slice(0, sampleSize);
  }

  /** Where a task's own frames begin: the root, its scope's box, or the box of the task awaiting it. */
  function anchorOf(task: Task): { node: TrieNode; edgeKind: StackEdgeKind } {
    const parent = structured && task.parentId ? byId.get(task.parentId) : undefined;
    if (!parent) return { node: root, edgeKind: 'calls' };
    if (SCOPE_TYPES.has(parent.type)) {
      const owner = parent.parentId ? byId.get(parent.parentId) : undefined;
      const ownerLeaf = owner && isShown(owner) ? insert(owner) : undefined;
      // A scope whose owner is not shown (trio's own init task) adds nothing: its tasks are roots.
      if (!ownerLeaf) return { node: root, edgeKind: 'calls' };
      const scope = child(ownerLeaf, `scope\u0000${parent.type}`, (id) => {
        const node = newNode(id, 'group', 'owns', ownerLeaf);
        node.groupType = parent.type;
        node.scopeIds = new Set();
        return node;
      });
      if (!scope.scopeIds?.has(parent.id)) {
        scope.scopeIds?.add(parent.id);
        scope.count++;
      }
      return { node: scope, edgeKind: 'spawns' };
    }
    const awaiterLeaf = isShown(parent) ? insert(parent) : undefined;
    return awaiterLeaf ? { node: awaiterLeaf, edgeKind: 'awaits' } : { node: root, edgeKind: 'calls' };
  }

  /** Adds a task's path (once) and returns the node of its innermost frame, or undefined without frames. */
  function insert(task: Task): TrieNode | undefined {
    if (leafOf.has(task.id)) return leafOf.get(task.id);
    // A Node operation's callers that started it (`startedBy`) are the outermost frames of its path:
    // operations started by the same loop meet there.
    const stack =
      task.stack?.length && task.startedBy?.length ? [...task.stack, ...task.startedBy] : task.stack;
    if (!stack?.length || visiting.has(task.id)) return undefined;
    visiting.add(task.id);
    const anchor = anchorOf(task);
    let node = anchor.node;
    let edgeKind = anchor.edgeKind;
    for (let index = stack.length - 1; index >= 0; index--) {
      const frame = stack[index];
      const key = edgeKind === 'calls' ? frameKey(frame) : `${edgeKind}\u0000${frameKey(frame)}`;
      const parent = node;
      const kind = edgeKind;
      node = child(parent, key, (id) => {
        const made = newNode(id, 'frames', kind, parent);
        made.frame = pictureFrame(frame);
        return made;
      });
      record(node, task);
      edgeKind = 'calls';
    }
    node.endingCount++;
    const awaiting = task.awaiting ?? '';
    node.awaiting.set(awaiting, (node.awaiting.get(awaiting) ?? 0) + 1);
    visiting.delete(task.id);
    leafOf.set(task.id, node);
    if (task.stackKind) kinds.add(task.stackKind);
    return node;
  }

  for (const task of snapshot.tasks) {
    if (!isShown(task)) continue;
    totalTasks++;
    if (!insert(task)) withoutStack++;
  }

  const segmentOfNode = new Map<TrieNode, Segment>();
  const roots = segmentsUnder(root, undefined, segmentOfNode, sampleSize);
  const leafOfTask = new Map<string, Segment>();
  for (const [taskId, node] of leafOf) {
    const segment = segmentOfNode.get(node);
    if (segment) leafOfTask.set(taskId, segment);
  }
  const merged: MergedStacks = {
    runtime: snapshot.runtime,
    stackKind: kinds.size === 1 ? ([...kinds][0] as PictureStackKind) : kinds.size ? 'mixed' : 'suspended',
    totalTasks,
    withoutStack,
    roots,
    leafOfTask,
  };
  if (snapshot.truncated) merged.truncated = { ...snapshot.truncated };
  return merged;
}

/**
 * Cuts the trie into segments: a segment runs down a chain of frames while exactly the same tasks go
 * through each (one child, called directly, nobody ending on the way). Iterative: stacks can be deep.
 */
function segmentsUnder(
  top: TrieNode,
  parentSegment: Segment | undefined,
  segmentOfNode: Map<TrieNode, Segment>,
  sampleSize: number,
): Segment[] {
  const result: Segment[] = [];
  const pending: Array<{ start: TrieNode; parent?: Segment; into: Segment[] }> = [];
  for (const start of top.children.values()) pending.push({ start, parent: parentSegment, into: result });
  while (pending.length) {
    const { start, parent, into } = pending.pop() as (typeof pending)[number];
    const frames: PictureFrame[] = [];
    const members: TrieNode[] = [start];
    let last = start;
    if (start.frame) frames.push(start.frame);
    while (start.kind === 'frames' && last.endingCount === 0 && last.children.size === 1) {
      const next = last.children.values().next().value as TrieNode;
      if (next.kind !== 'frames' || next.edgeKind !== 'calls') break;
      last = next;
      members.push(next);
      if (next.frame) frames.push(next.frame);
    }
    const segment: Segment = {
      id: start.id,
      kind: start.kind,
      frames,
      count: start.count,
      endingCount: last.endingCount,
      awaiting: last.awaiting,
      tasks: last.sample.sort(byAgeDescending).slice(0, sampleSize).map(sampleOf),
      edgeKind: start.edgeKind,
      parent,
      children: [],
    };
    if (last.oldestAgeMs !== undefined) segment.oldestAgeMs = last.oldestAgeMs;
    if (start.groupType) segment.groupType = start.groupType;
    into.push(segment);
    for (const member of members) segmentOfNode.set(member, segment);
    for (const next of last.children.values())
      pending.push({ start: next, parent: segment, into: segment.children });
  }
  sortTree(result);
  return result;
}

/** Most tasks first, ties by id, so the same snapshot always gives the same picture. */
function sortTree(segments: Segment[]): void {
  const stack = [segments];
  while (stack.length) {
    const list = stack.pop() as Segment[];
    list.sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const segment of list) if (segment.children.length) stack.push(segment.children);
  }
}

// Chooses which boxes of the merged tree the picture draws, so that it reads the same at 10 tasks and
// at 100 000: the boxes with the most tasks first, up to a budget; under each box its few biggest
// branches, and the rare rest folded into one "+N more" box that the user can expand. The biggest
// branch of a shown box is always a candidate, so every shown path can be followed down to where its
// tasks wait.
import type { MergedStacks, Segment } from './mergeStacks';
import type { StackEdge, StackGraph, StackNode, TaskSample } from './stackGraph';

export interface CollapseOptions {
  /** Boxes drawn before the rest fold (the "+N more" boxes come on top). */
  maxNodes?: number;
  /** Branches shown under one box before the rest fold. */
  maxChildren?: number;
  /** A branch with fewer than this share of all tasks folds (except a box's biggest branch). */
  minShare?: number;
  /** Ids of "+N more" boxes the user expanded: their branches are all shown. */
  expanded?: ReadonlySet<string>;
}

export const DEFAULT_COLLAPSE = { maxNodes: 150, maxChildren: 8, minShare: 0.01 } as const;

/** The virtual parent of the roots, for the top-level "+N more". */
export const ROOT_PARENT_ID = 'roots';
const HIDDEN_NAMES_LIMIT = 40;
const HIDDEN_WALK_LIMIT = 2000;

export function moreIdOf(parentId: string): string {
  return `${parentId}~more`;
}

/** A max-heap of segments by task count: the budget goes to the biggest boxes first. */
class BiggestFirst {
  private readonly items: Segment[] = [];
  get size(): number {
    return this.items.length;
  }
  push(segment: Segment): void {
    const items = this.items;
    items.push(segment);
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (items[parent].count >= items[index].count) break;
      [items[parent], items[index]] = [items[index], items[parent]];
      index = parent;
    }
  }
  pop(): Segment {
    const items = this.items;
    const top = items[0];
    const last = items.pop() as Segment;
    if (items.length) {
      items[0] = last;
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        const right = left + 1;
        let largest = index;
        if (left < items.length && items[left].count > items[largest].count) largest = left;
        if (right < items.length && items[right].count > items[largest].count) largest = right;
        if (largest === index) break;
        [items[largest], items[index]] = [items[index], items[largest]];
        index = largest;
      }
    }
    return top;
  }
}

export function collapseBranches(merged: MergedStacks, options: CollapseOptions = {}): StackGraph {
  const maxNodes = options.maxNodes ?? DEFAULT_COLLAPSE.maxNodes;
  const maxChildren = options.maxChildren ?? DEFAULT_COLLAPSE.maxChildren;
  const minCount = (options.minShare ?? DEFAULT_COLLAPSE.minShare) * merged.totalTasks;
  const expanded = options.expanded ?? new Set<string>();
  const parentIdOf = (segment: Segment) => segment.parent?.id ?? ROOT_PARENT_ID;

  // A picture that fits the budget is drawn whole: folding is for the big ones.
  const everything = fitsWithin(merged.roots, maxNodes);

  /** How many of a box's branches (biggest first) may be drawn; the rest fold. */
  const allowedCount = (siblings: readonly Segment[]) => {
    if (everything || !siblings.length || expanded.has(moreIdOf(parentIdOf(siblings[0]))))
      return siblings.length;
    let count = 1; // the biggest branch always: every shown path can be followed down
    while (count < siblings.length && count < maxChildren && siblings[count].count >= minCount) count++;
    // Folding a single branch into a "+1 more" box would save nothing.
    return count === siblings.length - 1 ? siblings.length : count;
  };

  const shown = new Set<Segment>();
  const candidates = new BiggestFirst();
  const offer = (siblings: readonly Segment[]) => {
    const count = allowedCount(siblings);
    for (let rank = 0; rank < count; rank++) candidates.push(siblings[rank]);
  };
  offer(merged.roots);
  let budget = maxNodes;
  while (candidates.size) {
    const segment = candidates.pop();
    // What the user expanded is drawn even past the budget; the rest waits for room.
    const asked = expanded.has(moreIdOf(parentIdOf(segment)));
    if (budget <= 0 && !asked) continue;
    shown.add(segment);
    budget--;
    offer(segment.children);
  }

  const nodes: StackNode[] = [];
  const edges: StackEdge[] = [];
  const foldHidden = (parentId: string, siblings: readonly Segment[]) => {
    const hidden = siblings.filter((segment) => !shown.has(segment));
    if (!hidden.length) return;
    const id = moreIdOf(parentId);
    nodes.push(moreNode(id, hidden));
    if (parentId !== ROOT_PARENT_ID) edges.push({ from: parentId, to: id, kind: 'more' });
  };
  // Walk in tree order (not heap order) so the nodes come out the same way every time.
  const walk: Segment[] = [...merged.roots].reverse();
  foldHidden(ROOT_PARENT_ID, merged.roots);
  while (walk.length) {
    const segment = walk.pop() as Segment;
    if (!shown.has(segment)) continue;
    nodes.push(shownNode(segment));
    if (segment.parent) edges.push({ from: segment.parent.id, to: segment.id, kind: segment.edgeKind });
    foldHidden(segment.id, segment.children);
    for (let index = segment.children.length - 1; index >= 0; index--) walk.push(segment.children[index]);
  }

  const graph: StackGraph = {
    runtime: merged.runtime,
    stackKind: merged.stackKind,
    totalTasks: merged.totalTasks,
    withoutStack: merged.withoutStack,
    nodes,
    edges,
  };
  if (merged.truncated) graph.truncated = merged.truncated;
  return graph;
}

/** The tree has at most `limit` segments (counting stops as soon as it has more). */
function fitsWithin(roots: readonly Segment[], limit: number): boolean {
  const pending = [...roots];
  let count = 0;
  while (pending.length) {
    const segment = pending.pop() as Segment;
    if (++count > limit) return false;
    pending.push(...segment.children);
  }
  return true;
}

function shownNode(segment: Segment): StackNode {
  const node: StackNode = {
    id: segment.id,
    kind: segment.kind,
    frames: segment.frames,
    count: segment.count,
    endingCount: segment.endingCount,
    awaiting: [...segment.awaiting]
      .filter(([text]) => text !== '')
      .map(([text, count]) => ({ text, count }))
      .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text)),
    tasks: segment.tasks,
  };
  if (segment.oldestAgeMs !== undefined) node.oldestAgeMs = segment.oldestAgeMs;
  if (segment.groupType) {
    node.groupType = segment.groupType;
    node.childTasks = segment.children.reduce((sum, child) => sum + child.count, 0);
  }
  return node;
}

/** One box for the branches left out under a parent: their tasks, their oldest, and names to search. */
function moreNode(id: string, hidden: readonly Segment[]): StackNode {
  let count = 0;
  let oldestAgeMs: number | undefined;
  const samples: TaskSample[] = [];
  for (const segment of hidden) {
    count += segment.count;
    if (segment.oldestAgeMs !== undefined && (oldestAgeMs === undefined || segment.oldestAgeMs > oldestAgeMs))
      oldestAgeMs = segment.oldestAgeMs;
    samples.push(...segment.tasks.slice(0, 5));
  }
  const names = new Set<string>();
  const walk = [...hidden];
  for (
    let visited = 0;
    walk.length && visited < HIDDEN_WALK_LIMIT && names.size < HIDDEN_NAMES_LIMIT;
    visited++
  ) {
    const segment = walk.pop() as Segment;
    for (const frame of segment.frames) names.add(frame.functionName);
    walk.push(...segment.children);
  }
  const node: StackNode = {
    id,
    kind: 'more',
    frames: [],
    count,
    endingCount: 0,
    awaiting: [],
    tasks: samples.sort((a, b) => (b.ageMs ?? -1) - (a.ageMs ?? -1)).slice(0, 20),
    hiddenBranches: hidden.length,
    hiddenNames: [...names].slice(0, HIDDEN_NAMES_LIMIT),
  };
  if (oldestAgeMs !== undefined) node.oldestAgeMs = oldestAgeMs;
  return node;
}

/**
 * The boxes that hold the given tasks in a drawn picture: each task's own box, or the "+N more" box it
 * is folded into. The seam for highlighting findings (issue 15): a finding names its tasks.
 */
export function boxesOfTasks(
  merged: MergedStacks,
  graph: StackGraph,
  taskIds: Iterable<string>,
): Set<string> {
  const drawn = new Set(graph.nodes.map((node) => node.id));
  const boxes = new Set<string>();
  for (const taskId of taskIds) {
    let segment = merged.leafOfTask.get(taskId);
    // Climb to the nearest drawn box; a hidden branch shows as its parent's "+N more".
    let below: Segment | undefined;
    while (segment && !drawn.has(segment.id)) {
      below = segment;
      segment = segment.parent;
    }
    if (!below) {
      if (segment) boxes.add(segment.id);
    } else {
      const more = moreIdOf(segment?.id ?? ROOT_PARENT_ID);
      if (drawn.has(more)) boxes.add(more);
    }
  }
  return boxes;
}

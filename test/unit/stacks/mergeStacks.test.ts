import * as assert from 'node:assert/strict';
import type { Runtime, Snapshot, StackFrame, Task } from '../../../src/snapshot/format';
import { boxesOfTasks, collapseBranches, moreIdOf } from '../../../src/stacks/collapseBranches';
import { mergeStacks } from '../../../src/stacks/mergeStacks';
import { boxProblems } from '../../../src/stacks/pictureState';
import type { StackGraph, StackNode } from '../../../src/stacks/stackGraph';

const FILE = '/app/pipeline.py';

/** A stack written caller first, as people read it; the snapshot wants it innermost first. */
function stack(...calls: string[]): StackFrame[] {
  return calls
    .map((call) => {
      const [functionName, line] = call.split(':');
      return { file: FILE, line: Number(line), functionName };
    })
    .reverse();
}

let nextId = 0;
function task(calls: string[], extra: Partial<Task> = {}): Task {
  nextId++;
  return {
    id: `t${nextId}`,
    parentId: null,
    type: 'Task',
    state: 'pending',
    stack: stack(...calls),
    stackKind: 'suspended',
    ...extra,
  };
}

function snapshotOf(tasks: Task[], runtime: Runtime = 'asyncio'): Snapshot {
  return { version: 1, runtime, pid: 1, takenAt: 0, tasks };
}

/** A box as a line a person can compare: its frames, count and what its ending tasks await. */
function describe_(node: StackNode): string {
  if (node.kind === 'more') return `+${node.count} more (${node.hiddenBranches} branches)`;
  if (node.kind === 'group') return `[${node.groupType} ×${node.count}, ${node.childTasks} tasks]`;
  const frames = node.frames.map((frame) => `${frame.functionName}:${frame.line}`).join(' → ');
  const awaiting = node.awaiting.map((entry) => `${entry.text} ×${entry.count}`).join(', ');
  return `${frames} ×${node.count}${awaiting ? ` · ${awaiting}` : ''}`;
}

function picture(graph: StackGraph): { boxes: string[]; edges: string[] } {
  const byId = new Map(graph.nodes.map((node) => [node.id, describe_(node)]));
  return {
    boxes: graph.nodes.map(describe_),
    edges: graph.edges.map((edge) => `${byId.get(edge.from)} -${edge.kind}-> ${byId.get(edge.to)}`),
  };
}

describe('Async Stacks: merging stacks', () => {
  it('merges identical stacks into one box with their count and what they await', () => {
    const tasks = [1, 2, 3].map(() =>
      task(['main:10', 'worker:20', 'fetch:30'], { awaiting: 'Queue.get()' }),
    );
    const graph = collapseBranches(mergeStacks(snapshotOf(tasks)));
    assert.deepEqual(picture(graph), {
      boxes: ['main:10 → worker:20 → fetch:30 ×3 · Queue.get() ×3'],
      edges: [],
    });
    assert.equal(graph.totalTasks, 3);
    assert.equal(graph.stackKind, 'suspended');
  });

  it('splits a box where stacks go different ways, biggest branch first, caller to callee', () => {
    const tasks = [
      task(['main:10', 'worker:20', 'fetch:30'], { awaiting: 'socket read' }),
      task(['main:10', 'worker:20', 'fetch:30'], { awaiting: 'socket read' }),
      task(['main:10', 'worker:20', 'fetch:31'], { awaiting: 'Lock.acquire()' }),
      task(['main:10', 'worker:20', 'store:40', 'write:50'], { awaiting: 'asyncio.sleep(1)' }),
      task(['main:10', 'worker:20', 'store:40', 'write:50'], { awaiting: 'asyncio.sleep(1)' }),
      task(['main:10', 'worker:20', 'store:40', 'write:50'], { awaiting: 'asyncio.sleep(2)' }),
    ];
    assert.deepEqual(picture(collapseBranches(mergeStacks(snapshotOf(tasks)))), {
      boxes: [
        'main:10 → worker:20 ×6',
        'store:40 → write:50 ×3 · asyncio.sleep(1) ×2, asyncio.sleep(2) ×1',
        'fetch:30 ×2 · socket read ×2',
        'fetch:31 ×1 · Lock.acquire() ×1',
      ],
      edges: [
        'main:10 → worker:20 ×6 -calls-> store:40 → write:50 ×3 · asyncio.sleep(1) ×2, asyncio.sleep(2) ×1',
        'main:10 → worker:20 ×6 -calls-> fetch:30 ×2 · socket read ×2',
        'main:10 → worker:20 ×6 -calls-> fetch:31 ×1 · Lock.acquire() ×1',
      ],
    });
  });

  it('draws who started a Node operation above it, so operations started by one loop meet there', () => {
    const started = { startedBy: stack('takeOrders:46') };
    const tasks = [
      task(['placeOrder:32', 'waitForWarehouse:18'], {
        ...started,
        type: 'Operation',
        awaiting: 'new Promise',
      }),
      task(['placeOrder:32', 'waitForWarehouse:18'], {
        ...started,
        type: 'Operation',
        awaiting: 'new Promise',
      }),
      task(['placeOrder:31', 'lookUpCustomer:26'], {
        ...started,
        type: 'Operation',
        awaiting: 'new Promise',
      }),
    ];
    assert.deepEqual(picture(collapseBranches(mergeStacks(snapshotOf(tasks, 'node')))).edges, [
      'takeOrders:46 ×3 -calls-> placeOrder:32 → waitForWarehouse:18 ×2 · new Promise ×2',
      'takeOrders:46 ×3 -calls-> placeOrder:31 → lookUpCustomer:26 ×1 · new Promise ×1',
    ]);
  });

  it('ends a box where some of its tasks end, so the count of each box stays true', () => {
    const tasks = [
      task(['main:10', 'serve:20'], { awaiting: 'socket accept' }),
      task(['main:10', 'serve:20', 'handle:30'], { awaiting: 'socket read' }),
    ];
    assert.deepEqual(picture(collapseBranches(mergeStacks(snapshotOf(tasks)))).boxes, [
      'main:10 → serve:20 ×2 · socket accept ×1',
      'handle:30 ×1 · socket read ×1',
    ]);
  });

  it('hangs the children of a TaskGroup under the box where its owner waits, merging identical scopes', () => {
    const owner = task(['main:70'], { id: 'main', awaiting: 'TaskGroup: waiting for 4 task(s)' });
    const client = (n: number) => task(['client:50'], { id: `client${n}`, parentId: 'server-nursery' });
    const clientNursery = (n: number): Task => ({
      id: `nursery${n}`,
      parentId: `client${n}`,
      type: 'Nursery',
      state: 'pending',
    });
    const tasks: Task[] = [
      owner,
      { id: 'server-nursery', parentId: 'main', type: 'Nursery', state: 'pending' },
      client(1),
      client(2),
      clientNursery(1),
      clientNursery(2),
      task(['sender:37'], { parentId: 'nursery1', awaiting: 'trio.sleep(1)' }),
      task(['sender:37'], { parentId: 'nursery2', awaiting: 'trio.sleep(1)' }),
      task(['receiver:42'], { parentId: 'nursery1', awaiting: 'socket read' }),
      task(['receiver:42'], { parentId: 'nursery2', awaiting: 'socket read' }),
    ];
    const graph = collapseBranches(mergeStacks(snapshotOf(tasks, 'trio')));
    assert.deepEqual(picture(graph), {
      boxes: [
        'main:70 ×1 · TaskGroup: waiting for 4 task(s) ×1',
        '[Nursery ×1, 2 tasks]',
        'client:50 ×2',
        '[Nursery ×2, 4 tasks]',
        'receiver:42 ×2 · socket read ×2',
        'sender:37 ×2 · trio.sleep(1) ×2',
      ],
      edges: [
        'main:70 ×1 · TaskGroup: waiting for 4 task(s) ×1 -owns-> [Nursery ×1, 2 tasks]',
        '[Nursery ×1, 2 tasks] -spawns-> client:50 ×2',
        'client:50 ×2 -owns-> [Nursery ×2, 4 tasks]',
        '[Nursery ×2, 4 tasks] -spawns-> receiver:42 ×2 · socket read ×2',
        '[Nursery ×2, 4 tasks] -spawns-> sender:37 ×2 · trio.sleep(1) ×2',
      ],
    });
    assert.equal(graph.totalTasks, 7, 'scopes are not tasks');
  });

  it('hangs a Python task under the task awaiting it (gather) and ignores Node promise parents', () => {
    const refresher = task(['refresh_prices:49'], { id: 'refresher', awaiting: 'asyncio.gather()' });
    const lookups = [30, 45].map((seconds) =>
      task(['look_up_price:43'], { parentId: 'refresher', awaiting: `asyncio.sleep(${seconds})` }),
    );
    assert.deepEqual(picture(collapseBranches(mergeStacks(snapshotOf([refresher, ...lookups])))).edges, [
      'refresh_prices:49 ×1 · asyncio.gather() ×1 -awaits-> look_up_price:43 ×2 · asyncio.sleep(30) ×1, asyncio.sleep(45) ×1',
    ]);
    const promises = [
      task(['placeOrder:30'], { id: 'p1', type: 'PROMISE', stackKind: 'creation' }),
      task(['waitForWarehouse:18'], { id: 'p2', parentId: 'p1', type: 'PROMISE', stackKind: 'creation' }),
    ];
    const node = collapseBranches(mergeStacks(snapshotOf(promises, 'node')));
    assert.equal(node.edges.length, 0, 'two separate roots');
    assert.equal(node.nodes.length, 2);
    assert.equal(node.stackKind, 'creation');
  });

  it('leaves out settled tasks and runtime internals, and counts tasks without a stack', () => {
    const tasks = [
      task(['main:1']),
      task(['main:1'], { state: 'done' }),
      task(['runner:9'], { internal: true }),
      task([], { stack: undefined }),
    ];
    const merged = mergeStacks(snapshotOf(tasks));
    assert.equal(merged.totalTasks, 2);
    assert.equal(merged.withoutStack, 1);
    assert.deepEqual(picture(collapseBranches(merged)).boxes, ['main:1 ×1']);
    assert.equal(mergeStacks(snapshotOf(tasks), { includeInternal: true }).totalTasks, 3);
  });

  it('says the stacks are mixed when creation and suspended stacks meet', () => {
    const tasks = [task(['a:1']), task(['b:1'], { stackKind: 'creation' })];
    assert.equal(mergeStacks(snapshotOf(tasks)).stackKind, 'mixed');
  });

  it('gives the same ids to the same paths in a later snapshot', () => {
    const first = collapseBranches(
      mergeStacks(snapshotOf([task(['main:1', 'work:2']), task(['main:1', 'rest:3'])])),
    );
    const second = collapseBranches(
      mergeStacks(
        snapshotOf([task(['main:1', 'rest:3']), task(['main:1', 'work:2']), task(['main:1', 'work:2'])]),
      ),
    );
    assert.deepEqual(
      new Set(first.nodes.map((node) => node.id)),
      new Set(second.nodes.map((node) => node.id)),
    );
  });

  it('lists the oldest tasks of a box first in its hover sample', () => {
    const tasks = [5, 50, 500, 1].map((ageMs) => task(['main:1'], { ageMs, name: `age ${ageMs}` }));
    const [box] = collapseBranches(mergeStacks(snapshotOf(tasks))).nodes;
    assert.deepEqual(
      box.tasks.map((sample) => sample.ageMs),
      [500, 50, 5, 1],
    );
    assert.equal(box.oldestAgeMs, 500);
  });
});

describe('Async Stacks: folding rare branches', () => {
  /** 1 000 tasks down one hot path, and 30 rare paths of 1 task each under the same box. */
  function hotAndRare(): Task[] {
    const tasks: Task[] = [];
    for (let i = 0; i < 1000; i++) tasks.push(task(['main:1', 'serve:2', 'hot:3']));
    for (let i = 0; i < 30; i++) tasks.push(task(['main:1', 'serve:2', `rare${i}:${100 + i}`]));
    return tasks;
  }

  /** A budget smaller than the 32 boxes of hotAndRare(), so that folding applies. */
  const small = { maxNodes: 10 };

  it('draws every box when the whole tree fits the budget', () => {
    const graph = collapseBranches(mergeStacks(snapshotOf(hotAndRare())));
    assert.equal(graph.nodes.length, 32);
    assert.ok(!graph.nodes.some((node) => node.kind === 'more'));
  });

  it('folds branches below 1 % of the tasks into one "+N more" box under their parent', () => {
    const merged = mergeStacks(snapshotOf(hotAndRare()));
    const graph = collapseBranches(merged, small);
    assert.deepEqual(picture(graph).boxes, [
      'main:1 → serve:2 ×1030',
      '+30 more (30 branches)',
      'hot:3 ×1000',
    ]);
    const more = graph.nodes.find((node) => node.kind === 'more') as StackNode;
    assert.ok(more.hiddenNames?.includes('rare7'), 'hidden names are searchable');
    assert.deepEqual(
      graph.edges.map((edge) => edge.kind),
      ['more', 'calls'],
    );
  });

  it('shows every branch under a "+N more" box the user expanded', () => {
    const merged = mergeStacks(snapshotOf(hotAndRare()));
    const serve = collapseBranches(merged, small).nodes[0];
    const graph = collapseBranches(merged, { ...small, expanded: new Set([moreIdOf(serve.id)]) });
    assert.equal(graph.nodes.length, 32);
    assert.ok(!graph.nodes.some((node) => node.kind === 'more'));
  });

  it('never folds a lone branch into a "+1 more" box', () => {
    const tasks = [
      ...Array.from({ length: 500 }, () => task(['main:1', 'x:2', 'big:3'])),
      task(['main:1', 'x:2', 'small:4']),
      ...Array.from({ length: 500 }, () => task(['main:1', 'y:5'])),
      ...Array.from({ length: 20 }, (_, i) => task(['main:1', 'y:5', `r${i}:${100 + i}`])),
    ];
    const boxes = picture(collapseBranches(mergeStacks(snapshotOf(tasks)), small)).boxes;
    assert.ok(boxes.includes('small:4 ×1'), boxes.join(' | '));
    assert.ok(boxes.includes('+19 more (19 branches)'), boxes.join(' | '));
    assert.equal(boxes.filter((box) => box.startsWith('+')).length, 1, boxes.join(' | '));
  });

  it('keeps to the budget of boxes at 100 000 tasks with 10 000 distinct stacks', () => {
    const tasks: Task[] = [];
    for (let i = 0; i < 100_000; i++) {
      const branch = i % 10_000;
      tasks.push(task(['main:1', `route${branch % 100}:${branch % 100}`, `handler${branch}:${branch}`]));
    }
    const merged = mergeStacks(snapshotOf(tasks));
    const graph = collapseBranches(merged, { maxNodes: 150 });
    const boxes = graph.nodes.filter((node) => node.kind !== 'more');
    assert.ok(boxes.length <= 150, `${boxes.length} boxes`);
    const hidden = graph.nodes
      .filter((node) => node.kind === 'more')
      .reduce((sum, node) => sum + node.count, 0);
    const roots = graph.nodes.filter((node) => !graph.edges.some((edge) => edge.to === node.id));
    assert.equal(
      roots.reduce((sum, node) => sum + node.count, 0),
      100_000,
      'every task is under a drawn root',
    );
    assert.ok(hidden > 0);
  });

  it('finds the drawn box of a task, or the "+N more" box it is folded into (the findings seam)', () => {
    const tasks = hotAndRare();
    const merged = mergeStacks(snapshotOf(tasks));
    const graph = collapseBranches(merged, small);
    const hot = graph.nodes.find((node) => node.frames[0]?.functionName === 'hot') as StackNode;
    const more = graph.nodes.find((node) => node.kind === 'more') as StackNode;
    assert.deepEqual(
      [...boxesOfTasks(merged, graph, [tasks[0].id, tasks[1010].id])].sort(),
      [hot.id, more.id].sort(),
    );
  });
});

describe('Async Stacks: problems on the picture', () => {
  it('outlines the boxes holding a finding’s tasks with its worst severity and every message', () => {
    const left = task(['main:3', 'left:10']);
    const right = task(['main:3', 'right:20']);
    const idle = task(['main:3', 'idle:30']);
    const merged = mergeStacks(snapshotOf([left, right, idle]));
    const graph = collapseBranches(merged);
    const boxOf = (name: string) => graph.nodes.find((node) => describe_(node).includes(name))?.id;
    const problems = boxProblems(merged, graph, [
      {
        id: 's',
        kind: 'stuck',
        severity: 'warning',
        message: 'left waits for over 10 s',
        taskIds: [left.id],
      },
      {
        id: 'c',
        kind: 'cycle',
        severity: 'error',
        message: 'left and right wait for each other',
        taskIds: [left.id, right.id],
      },
    ]);
    assert.deepEqual(
      problems.map((problem) => [problem.boxId, problem.severity, problem.messages]),
      [
        [boxOf('left:10'), 'error', ['left waits for over 10 s', 'left and right wait for each other']],
        [boxOf('right:20'), 'error', ['left and right wait for each other']],
      ],
    );
    assert.ok(!problems.some((problem) => problem.boxId === boxOf('idle:30')));
  });
});

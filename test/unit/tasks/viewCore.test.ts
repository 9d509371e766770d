import * as assert from 'node:assert/strict';
import { parseSnapshot, SnapshotFormatError } from '../../../src/snapshot/checkSnapshot';
import type { Snapshot, Task } from '../../../src/snapshot/format';
import { compareGroups } from '../../../src/tasks/diff';
import { groupSnapshot } from '../../../src/tasks/grouping';
import { buildParentTree } from '../../../src/tasks/parentTree';
import { DEFAULT_FILTER, filterGroups, parseDuration, taskMatches } from '../../../src/tasks/taskFilter';
import {
  describeStates,
  describeTask,
  describeTaskRow,
  detailText,
  formatAge,
  siteLabel,
  taskTooltipMarkdown,
} from '../../../src/tasks/wording/taskWords';
import {
  describeChange,
  describeGroupRow,
  findingLabel,
  groupLabel,
  sessionLabel,
} from '../../../src/tasks/wording/viewWords';

function nodeTask(id: string, functionName: string, line: number, extra: Partial<Task> = {}): Task {
  return {
    id,
    parentId: null,
    type: 'PROMISE',
    state: 'pending',
    ageMs: 1500,
    site: { file: '/app/src/api.ts', line, column: 3, functionName },
    ...extra,
  };
}

function snapshotOf(tasks: Task[], extra: Partial<Snapshot> = {}): Snapshot {
  return { version: 1, runtime: 'node', pid: 42, takenAt: 1_700_000_000_000, tasks, ...extra };
}

describe('parseSnapshot', () => {
  it('accepts a valid snapshot and returns it', () => {
    const snapshot = snapshotOf([nodeTask('1', 'fetchUser', 42)]);
    assert.deepEqual(parseSnapshot(JSON.stringify(snapshot)), snapshot);
  });

  it('explains invalid JSON, newer versions, malformed tasks and oversized text', () => {
    assert.throws(() => parseSnapshot('{"version": 1,'), /not valid JSON/);
    assert.throws(
      () => parseSnapshot(JSON.stringify({ ...snapshotOf([]), version: 99 })),
      /newer than this extension/,
    );
    assert.throws(
      () => parseSnapshot(JSON.stringify(snapshotOf([{ id: 1 } as unknown as Task]))),
      (error: Error) =>
        error instanceof SnapshotFormatError && /Task 0 of the snapshot is malformed/.test(error.message),
    );
    assert.throws(() => parseSnapshot(JSON.stringify(snapshotOf([])), 10), /too large to show/);
    assert.throws(
      () => parseSnapshot(JSON.stringify({ ...snapshotOf([]), notes: [42] })),
      /"notes" is not a list of strings/,
    );
  });
});

describe('grouping', () => {
  it('shows a snapshot that was not grouped at its source as one group per task type', () => {
    const ungrouped: Snapshot = {
      version: 2,
      runtime: 'asyncio',
      pid: 1,
      takenAt: 0,
      tasks: [
        { id: 'a', parentId: null, type: 'Task', state: 'pending', awaiting: 'Queue.get()' },
        { id: 'b', parentId: null, type: 'Task', state: 'pending', awaiting: 'Queue.get()' },
        { id: 'c', parentId: 'a', type: 'TaskGroup', state: 'pending' },
      ],
    };
    assert.deepEqual(
      groupSnapshot(ungrouped).map((group) => [group.kind, group.label, group.count]),
      [
        ['type', 'Task', 2],
        ['type', 'TaskGroup', 1],
      ],
    );
  });

  it('keeps the source groups, their full counts and tasks fetched later', () => {
    const snapshot = snapshotOf([nodeTask('1', 'fetchUser', 42), nodeTask('2', 'fetchUser', 42)], {
      groups: [
        {
          id: 'g1',
          label: 'fetchUser — api.ts:42',
          kind: 'site',
          site: { file: '/app/src/api.ts', line: 42 },
          count: 317,
          states: { pending: 317 },
          taskIds: ['1', '2'],
        },
      ],
      truncated: { totalTasks: 317, sentTasks: 2 },
    });
    const [group] = groupSnapshot(snapshot, new Map([['g1', [nodeTask('3', 'fetchUser', 42)]]]));
    assert.equal(group.count, 317);
    assert.equal(group.sourceGroupId, 'g1');
    assert.deepEqual(
      group.tasks.map((task) => task.id),
      ['1', '2', '3'],
    );
  });
});

describe('parent tree', () => {
  it('nests tasks under their parents and makes orphans and cycles roots', () => {
    const tasks: Task[] = [
      { id: '1', parentId: null, type: 'Task', state: 'pending' },
      { id: '2', parentId: '1', type: 'Nursery', state: 'pending' },
      { id: '3', parentId: '2', type: 'Task', state: 'pending' },
      { id: '4', parentId: 'gone', type: 'Task', state: 'pending' },
      { id: '5', parentId: '6', type: 'Task', state: 'pending' },
      { id: '6', parentId: '5', type: 'Task', state: 'pending' },
    ];
    const tree = buildParentTree(tasks);
    assert.deepEqual(
      tree.roots.map((task) => task.id),
      ['1', '4', '5'],
    );
    assert.deepEqual(
      tree.children.get('2')?.map((task) => task.id),
      ['3'],
    );
    assert.deepEqual(
      tree.children.get('5')?.map((task) => task.id),
      ['6'],
    );
    assert.equal(tree.children.get('6')?.length ?? 0, 0);
  });
});

describe('filters', () => {
  const tasks = [
    nodeTask('1', 'fetchUser', 42, { ageMs: 10 }),
    nodeTask('2', 'fetchUser', 42, { ageMs: 9000 }),
    nodeTask('3', 'listen', 1, { internal: true, type: 'TCPSERVERWRAP' }),
  ];

  it('hides internals by default and filters by type, age and text', () => {
    assert.equal(taskMatches(tasks[2], DEFAULT_FILTER), false);
    assert.equal(taskMatches(tasks[2], { ...DEFAULT_FILTER, hideInternals: false }), true);
    assert.equal(taskMatches(tasks[0], { ...DEFAULT_FILTER, minAgeMs: 5000 }), false);
    assert.equal(taskMatches(tasks[1], { ...DEFAULT_FILTER, minAgeMs: 5000 }), true);
    assert.equal(taskMatches(tasks[0], { ...DEFAULT_FILTER, types: ['Timeout'] }), false);
    assert.equal(taskMatches(tasks[0], { ...DEFAULT_FILTER, text: 'FETCH' }), true);
    assert.equal(taskMatches(tasks[0], { ...DEFAULT_FILTER, text: 'api.ts' }), true);
    assert.equal(taskMatches(tasks[0], { ...DEFAULT_FILTER, text: 'nothing' }), false);
  });

  it('recounts complete groups and drops emptied ones', () => {
    const sourceGroups = [
      { id: 'g1', label: 'fetchUser — api.ts:42', kind: 'site' as const, count: 2, taskIds: ['1', '2'] },
      { id: 'g2', label: 'TCPSERVERWRAP', kind: 'type' as const, count: 1, taskIds: ['3'] },
    ];
    const snapshot = snapshotOf(tasks, { groups: sourceGroups });
    const groups = filterGroups(groupSnapshot(snapshot), { ...DEFAULT_FILTER, minAgeMs: 5000 });
    assert.deepEqual(
      groups.map((group) => [group.label, group.count]),
      [['fetchUser — api.ts:42', 1]],
    );
  });
});

describe('compare snapshots', () => {
  it('orders groups by growth and describes the change', () => {
    // Groups as a source sends them: by the function that made the tasks.
    const bySite = (tasks: Task[]) => {
      const names = [...new Set(tasks.map((task) => task.site?.functionName ?? ''))];
      const groups = names.map((name) => {
        const taskIds = tasks.filter((task) => task.site?.functionName === name).map((task) => task.id);
        return { id: name, label: `${name}()`, kind: 'site' as const, count: taskIds.length, taskIds };
      });
      return groupSnapshot(snapshotOf(tasks, { groups }));
    };
    const before = bySite([nodeTask('1', 'a', 1), nodeTask('2', 'b', 2), nodeTask('3', 'b', 2)]);
    const after = bySite([
      nodeTask('4', 'a', 1),
      nodeTask('5', 'a', 1),
      nodeTask('6', 'a', 1),
      nodeTask('7', 'c', 3),
    ]);
    const changes = compareGroups(before, after);
    assert.deepEqual(
      changes.map((change) => [change.label, change.before, change.after, change.delta]),
      [
        ['a()', 1, 3, 2],
        ['c()', 0, 1, 1],
        ['b()', 2, 0, -2],
      ],
    );
    assert.equal(describeChange(changes[0], '09:00:00'), '+2 since 09:00:00');
    assert.equal(describeChange(changes[1], '09:00:00'), 'new since 09:00:00');
    assert.equal(describeChange(changes[2], '09:00:00'), '−2 since 09:00:00');
  });
});

describe('labels', () => {
  it('formats ages, sites and task descriptions', () => {
    assert.deepEqual(
      [formatAge(850), formatAge(3400), formatAge(125_000), formatAge(3_780_000)],
      ['850 ms', '3.4 s', '2 min 5 s', '1 h 3 min'],
    );
    assert.equal(siteLabel({ file: '/a/api.ts', line: 4, functionName: 'f' }, true), 'within f — api.ts:4');
    assert.equal(describeTask(nodeTask('1', 'f', 4)), 'PROMISE · pending · 1.5 s');
    assert.match(
      taskTooltipMarkdown(nodeTask('1', 'f', 4)),
      /Created at:\n```\nat f \(\/app\/src\/api\.ts:4:3\)\n```/,
    );
  });

  it('says an operation’s place in line in its pool or queue, before where it waits', () => {
    const waiting = nodeTask('2', 'runQuery', 24, {
      type: 'Operation',
      ageMs: 2100,
      waitingMs: 2100,
      awaiting: 'pool.acquire() — 2 of 2 in use, 2 waiting',
      stackKind: 'suspended',
      stack: [
        {
          file: '/app/node_modules/generic-pool/lib/Pool.js',
          line: 9,
          origin: 'library',
          functionName: 'acquire',
        },
        { file: '/app/src/db.js', line: 24, functionName: 'runQuery' },
      ],
      details: { placeInLine: '1 of 2' },
    });
    assert.equal(
      describeTask(waiting, 'pool.acquire() — 2 of 2 in use, 2 waiting'),
      '2.1 s · 1 of 2 in line · db.js:24',
    );
    assert.match(taskTooltipMarkdown(waiting), /Place in line: 1 of 2/);
  });

  it('under a group, says what tells the row apart first: the part after the call they share', () => {
    const queued = nodeTask('3', 'findOrder', 9, {
      type: 'Operation',
      ageMs: 1100,
      waitingMs: 1080,
      awaiting: 'pg pool.query() — waiting for a client (pool of 2: 2 busy, 3 waiting)',
      stackKind: 'suspended',
      stack: [{ file: '/app/src/orders.js', line: 9, functionName: 'findOrder' }],
      details: { placeInLine: '1 of 3' },
    });
    // A wait that began with the operation (20 ms apart) gets no age of its own.
    assert.equal(
      describeTask(queued, 'pg pool.query() — pool of 2: 2 busy, 3 waiting'),
      '1.1 s · 1 of 3 in line · waiting for a client (pool of 2: 2 busy, 3 waiting) · orders.js:9',
    );
    // A group that says another call, or none: the whole wait.
    assert.equal(
      describeTask(queued, 'fetch()'),
      '1.1 s · 1 of 3 in line · awaiting pg pool.query() — waiting for a client (pool of 2: 2 busy, 3 waiting) · orders.js:9',
    );
    assert.equal(
      describeTask({ ...queued, waitingMs: 300 }, undefined),
      '1.1 s · waiting 300 ms · 1 of 3 in line · awaiting pg pool.query() — waiting for a client (pool of 2: 2 busy, 3 waiting) · orders.js:9',
    );
  });

  it('counts in the right number, and states only when they differ', () => {
    assert.equal(describeTaskRow(nodeTask('1', 'f', 4), 1), 'PROMISE · pending · 1.5 s · 1 child');
    assert.equal(describeTaskRow(nodeTask('1', 'f', 4), 3), 'PROMISE · pending · 1.5 s · 3 children');
    assert.equal(describeStates({ pending: 1 }, 1), '1 task');
    assert.equal(describeStates({ pending: 40 }, 40), '40 tasks');
    assert.equal(describeStates({ running: 1, pending: 23 }, 24), '23 pending · 1 running');
  });

  it('leads an operation group with its count and says what its operations wait on', () => {
    const group = {
      label: 'httpGet ← fetchJobData ← runJob ← worker',
      kind: 'stack',
      count: 2,
      states: { pending: 2 },
      tasks: [],
      awaiting: 'socket read from 127.0.0.1:4711',
      oldestAgeMs: 41_000,
    };
    assert.equal(groupLabel(group), '2 × httpGet ← fetchJobData ← runJob ← worker');
    assert.equal(describeGroupRow(group), 'socket read from 127.0.0.1:4711 · oldest 41 s');
    assert.equal(groupLabel({ ...group, kind: 'awaiting', label: 'Queue.get()' }), 'Queue.get()');
  });

  it('names a js-debug process by its program and pid, leaving the launch name to the tooltip', () => {
    assert.equal(sessionLabel('stuckRequests.js [31460] « Node: stuck requests'), 'stuckRequests.js [31460]');
    assert.equal(sessionLabel('Python: asyncio order pipeline'), 'Python: asyncio order pipeline');
  });

  it('says of a Python task where it waits first, and not again what its group says', () => {
    const frame = { file: '/app/pipeline.py', line: 17, functionName: 'dine' };
    const library = {
      file: '/usr/lib/python3/dist-packages/aiohttp/client.py',
      line: 9,
      origin: 'library' as const,
    };
    const task: Task = {
      id: 't',
      parentId: null,
      type: 'Task',
      state: 'pending',
      awaiting: 'Lock.acquire()',
      stack: [library, frame],
      stackKind: 'suspended',
    };
    assert.equal(describeTask(task), 'awaiting Lock.acquire() · pipeline.py:17');
    assert.equal(describeTask(task, 'Lock.acquire()'), 'pipeline.py:17');
    assert.equal(describeTask({ ...task, state: 'running' }, 'Lock.acquire()'), 'running · pipeline.py:17');
  });

  it('names a deadlock by its members and any other finding by its message', () => {
    const finding = {
      id: 'f',
      kind: 'lockCycle' as const,
      severity: 'error' as const,
      message: 'long',
      taskIds: [],
    };
    assert.equal(
      findingLabel(finding, ['Aristotle', 'Kant', 'Spinoza']),
      "Aristotle, Kant and Spinoza wait for each other's locks",
    );
    assert.equal(
      findingLabel({ ...finding, kind: 'cycle' }, ['left', 'right']),
      'left and right wait for each other',
    );
    assert.equal(findingLabel({ ...finding, kind: 'stuck' }, ['a', 'b']), 'long');
  });

  it("says what a task's details mean instead of their keys", () => {
    assert.equal(detailText('keepsEventLoopAlive', false), 'Keeps the program alive: no');
    assert.equal(detailText('parentLink', 'TaskGroup'), 'Linked to its parent by: TaskGroup');
    assert.equal(detailText('someNewThing', 3), 'Some new thing: 3');
    assert.doesNotMatch(
      taskTooltipMarkdown(nodeTask('1', 'f', 4, { details: { createdBeforeAgent: true } })),
      /createdBeforeAgent/,
    );
  });
});

describe('minimum age input', () => {
  it('reads durations with units and refuses anything else', () => {
    assert.deepEqual(['5s', '500 ms', '2m', '1.5h', '250', '', 'soon', '-1s'].map(parseDuration), [
      5000,
      500,
      120_000,
      5_400_000,
      250,
      0,
      undefined,
      undefined,
    ]);
  });
});

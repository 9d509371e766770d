// What the view finds in any runtime's snapshot: tasks waiting for each other, tasks stuck past the
// limit, groups that keep growing; and how they combine with the runtime's own findings.
import * as assert from 'node:assert/strict';
import type { Finding, Snapshot, Task } from '../../../src/snapshot/format';
import { findAwaitCycles } from '../../../src/tasks/findings/awaitCycles';
import { findGrowingGroups } from '../../../src/tasks/findings/growingGroups';
import { sessionFindings } from '../../../src/tasks/findings/sessionFindings';
import { findStuckTasks } from '../../../src/tasks/findings/stuckTasks';
import { groupSnapshot } from '../../../src/tasks/grouping';

const frame = (line: number, functionName: string) => ({ file: '/app/main.py', line, functionName });

function task(id: string, parentId: string | null, extra: Partial<Task> = {}): Task {
  return { id, parentId, type: 'Task', state: 'pending', ...extra };
}

function snapshotOf(tasks: Task[], extra: Partial<Snapshot> = {}): Snapshot {
  return { version: 2, runtime: 'asyncio', pid: 1, takenAt: 0, tasks, ...extra };
}

describe('findings: tasks waiting for each other', () => {
  it('names both tasks of a two-task deadlock with the lines where they wait, once', () => {
    const a = task('a', 'b', { name: 'worker-a', stack: [frame(10, 'work_a')], stackKind: 'suspended' });
    const b = task('b', 'a', { name: 'worker-b', stack: [frame(20, 'work_b')], stackKind: 'suspended' });
    const findings = findAwaitCycles(snapshotOf([a, b, task('c', null)]));
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0].taskIds, ['a', 'b']);
    assert.equal(findings[0].kind, 'cycle');
    assert.equal(findings[0].severity, 'error');
    assert.equal(
      findings[0].message,
      'worker-a (main.py:10), worker-b (main.py:20) wait for each other: none can finish first',
    );
    assert.deepEqual(findings[0].site, frame(10, 'work_a'));
  });

  it('finds a gather that contains its own awaiter through the TaskGroup-like node between them', () => {
    // main awaits gather(child); child awaits main: child → gather node → main → child.
    const tasks = [
      task('main', 'child'),
      task('gather', 'main', { type: 'TaskGroup' }),
      task('child', 'gather'),
    ];
    const [finding] = findAwaitCycles(snapshotOf(tasks));
    assert.deepEqual(finding.taskIds, ['child', 'gather', 'main']);
  });

  it('gives the same id whichever member the walk starts from, and ignores finished tasks and chains', () => {
    const one = findAwaitCycles(snapshotOf([task('x', 'y'), task('y', 'x')]));
    const other = findAwaitCycles(snapshotOf([task('y', 'x'), task('x', 'y')]));
    assert.equal(one[0].id, other[0].id);
    assert.deepEqual(findAwaitCycles(snapshotOf([task('x', 'y'), task('y', 'x', { state: 'done' })])), []);
    assert.deepEqual(findAwaitCycles(snapshotOf([task('1', null), task('2', '1'), task('3', '2')])), []);
  });
});

describe('findings: stuck tasks', () => {
  const groups = [
    { id: 'g1', label: 'Queue.get()', kind: 'awaiting' as const, count: 3, taskIds: ['1', '2', '3'] },
  ];

  it('reports the tasks of a group waiting past the limit once, oldest first, with what they wait on', () => {
    const tasks = [
      task('1', null, { ageMs: 12_000, awaiting: 'Queue.get()' }),
      task('2', null, {
        ageMs: 41_000,
        awaiting: 'Queue.get()',
        stack: [frame(7, 'packer')],
        stackKind: 'suspended',
      }),
      task('3', null, { ageMs: 2_000, awaiting: 'Queue.get()' }),
    ];
    const [finding, ...rest] = findStuckTasks(snapshotOf(tasks, { groups }), 10_000);
    assert.equal(rest.length, 0);
    assert.deepEqual(finding.taskIds, ['2', '1']);
    assert.equal(finding.message, '2 tasks waiting at Queue.get() for over 10 s (longest 41 s)');
    assert.deepEqual(finding.site, frame(7, 'packer'));
  });

  it('judges a wait by how long the task has waited at its await when the runtime says', () => {
    const tasks = [task('1', null, { ageMs: 60_000, waitingMs: 500, awaiting: 'Queue.get()' })];
    assert.deepEqual(findStuckTasks(snapshotOf(tasks, { groups }), 10_000), []);
  });
});

describe('findings: growth', () => {
  const node = (count: number): Snapshot =>
    snapshotOf([], {
      runtime: 'node',
      groups: [
        { id: 'g', label: 'async handle — app.js:4', kind: 'site', count, taskIds: [] },
        { id: 'h', label: 'async steady — app.js:9', kind: 'site', count: 3, taskIds: [] },
      ],
    });

  it('reports a group that grew in each of the last snapshots, with its counts', () => {
    const history = [node(10), node(20), node(35)].map((snapshot) => groupSnapshot(snapshot));
    const findings = findGrowingGroups(history);
    assert.deepEqual(
      findings.map((finding) => finding.message),
      ['async handle — app.js:4 keeps growing: 10 → 20 → 35 over the last 3 snapshots'],
    );
  });

  it('says nothing before three snapshots or when a group shrank on the way', () => {
    assert.deepEqual(findGrowingGroups([node(10), node(20)].map((s) => groupSnapshot(s))), []);
    assert.deepEqual(findGrowingGroups([node(10), node(5), node(20)].map((s) => groupSnapshot(s))), []);
  });
});

describe('findings of a session', () => {
  it('puts deadlocks first, keeps the runtime’s findings, and does not report a loop the runtime reported', () => {
    const runtimeFinding: Finding = {
      id: 'lock:1',
      kind: 'lockCycle',
      severity: 'error',
      message: 'a holds Lock L1 and waits for L2; b holds L2 and waits for L1',
      taskIds: ['a', 'b'],
    };
    const snapshot = snapshotOf([task('a', 'b', { ageMs: 20_000 }), task('b', 'a', { ageMs: 20_000 })], {
      findings: [runtimeFinding],
    });
    const findings = sessionFindings({
      snapshot,
      groupHistory: [groupSnapshot(snapshot)],
      stuckAfterMs: 10_000,
    });
    assert.deepEqual(
      findings.map((finding) => finding.kind),
      ['lockCycle', 'stuck'],
    );
  });

  it('finds nothing in a program that is not stuck', () => {
    const snapshot = snapshotOf([task('a', null, { ageMs: 100 }), task('b', 'a', { ageMs: 50 })]);
    assert.deepEqual(
      sessionFindings({ snapshot, groupHistory: [groupSnapshot(snapshot)], stuckAfterMs: 10_000 }),
      [],
    );
  });
});

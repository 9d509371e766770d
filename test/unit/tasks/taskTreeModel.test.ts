// The tree the view shows, built from real snapshots: the agent runs on a fixture program of known
// structure (three fetchUser calls hanging forever on hangForever's promises, a server, a timer).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseSnapshot } from '../../../src/snapshot/checkSnapshot';
import type { Snapshot } from '../../../src/snapshot/format';
import { DEFAULT_FILTER } from '../../../src/tasks/taskFilter';
import {
  type GroupElement,
  type MessageElement,
  type SessionView,
  type TaskTreeElement,
  TaskTreeModel,
} from '../../../src/tasks/taskTreeModel';

const root = join(__dirname, '..', '..', '..', '..');
const fixture = join(root, 'test', 'fixtures', 'agent', 'hangingFunctions.js');

function agentSnapshot(options: Record<string, unknown>): Snapshot {
  const output = execFileSync(
    process.execPath,
    ['--require', join(root, 'dist', 'agent.js'), fixture, JSON.stringify(options)],
    {
      encoding: 'utf8',
    },
  );
  return parseSnapshot(output);
}

function session(snapshot: Snapshot | undefined, extra: Partial<SessionView> = {}): SessionView {
  return {
    id: 's1',
    name: 'hangingFunctions.js [1234]',
    debugType: 'pwa-node',
    sourceLabel: 'Node.js',
    capturesWhileRunning: true,
    status: 'paused',
    snapshot,
    receivedAt: Date.now(),
    stale: false,
    capturing: false,
    extraTasks: new Map(),
    ...extra,
  };
}

function modelOf(sessions: SessionView[], options: Partial<TaskTreeModel['options']> = {}) {
  return new TaskTreeModel(() => sessions, {
    mode: 'grouped',
    filter: DEFAULT_FILTER,
    compare: false,
    pageSize: 200,
    ...options,
  });
}

const groups = (elements: TaskTreeElement[]) => elements.filter((e): e is GroupElement => e.kind === 'group');
const messages = (elements: TaskTreeElement[]) =>
  elements.filter((e): e is MessageElement => e.kind === 'message');

describe('tree model over real agent snapshots', () => {
  let snapshot: Snapshot;
  before(function () {
    this.timeout(20_000);
    snapshot = agentSnapshot({ maxTasksPerGroup: 2 });
  });

  it('shows one session row with the groups the agent made, biggest first, and what keeps the program alive', () => {
    const model = modelOf([session(snapshot)]);
    const [sessionRow] = model.roots();
    assert.equal(sessionRow.kind, 'session');
    const rows = model.children(sessionRow);
    const labels = groups(rows).map((row) => `${row.group.label} ×${row.group.count}`);
    assert.deepEqual(labels.slice(0, 3), [
      'async fetchUser — hangingFunctions.js:10 ×3',
      'await in fetchUser — hangingFunctions.js:11 ×3',
      'new Promise in hangForever — hangingFunctions.js:8 ×3',
    ]);
    const handles = rows.find((row) => row.kind === 'handles');
    assert.ok(handles);
    assert.ok(
      model.children(handles).some((row) => row.kind === 'handle' && row.handle.type === 'TCPSERVERWRAP'),
    );
    assert.equal(model.countOf(session(snapshot)), snapshot.truncated?.totalTasks);
  });

  it('lists the tasks sent and offers to load the one the agent kept back, which the agent then sends', function () {
    this.timeout(20_000);
    const view = session(snapshot);
    const model = modelOf([view]);
    const fetchUser = groups(model.children(model.roots()[0]))[0];
    const rows = model.children(fetchUser);
    assert.deepEqual(
      rows.map((row) => row.kind),
      ['task', 'task', 'more'],
    );
    const more = rows[2];
    assert.ok(more.kind === 'more' && more.fetch);
    assert.equal(more.remaining, 1);
    // What the watcher does on "Load more": ask the agent for that group from that offset.
    const part = agentSnapshot({ group: more.fetch.sourceGroupId, offset: more.fetch.offset, limit: 10 });
    assert.equal(part.tasks.length, 1);
    view.extraTasks.set(more.fetch.sourceGroupId, part.tasks);
    const expanded = model.children(groups(model.children(model.roots()[0]))[0]);
    assert.deepEqual(
      expanded.map((row) => row.kind),
      ['task', 'task', 'task'],
    );
  });

  it('nests awaiting promises under the promise they await in the parent tree', () => {
    const model = modelOf([session(snapshot)], { mode: 'tree' });
    const roots = model.children(model.roots()[0]).filter((row) => row.kind === 'task');
    const hang = roots.find(
      (row) => row.kind === 'task' && row.task.name === 'new Promise in hangForever' && row.childCount > 0,
    );
    assert.ok(hang, 'a hangForever promise with children');
    const children = model.children(hang);
    assert.ok(children.every((row) => row.kind === 'task' && row.task.name === 'await in fetchUser'));
  });

  it('filters by text and says so when nothing matches', () => {
    const model = modelOf([session(snapshot)], { filter: { ...DEFAULT_FILTER, text: 'hangForever' } });
    assert.deepEqual(
      groups(model.children(model.roots()[0])).map((row) => row.group.label),
      ['new Promise in hangForever — hangingFunctions.js:8'],
    );
    model.options.filter = { ...DEFAULT_FILTER, text: 'no such thing' };
    const empty = messages(model.children(model.roots()[0]));
    assert.equal(empty[0].text, 'No task matches the filter.');
    assert.equal(empty[0].action?.command, 'asyncToolkit.clearTaskFilter');
  });

  it('pages long lists with a "show more" row', () => {
    const many: Snapshot = {
      version: 1,
      runtime: 'asyncio',
      pid: 1,
      takenAt: 0,
      tasks: Array.from({ length: 450 }, (_, index) => ({
        id: `t${index}`,
        parentId: null,
        type: 'Task',
        state: 'pending' as const,
        awaiting: 'Event.wait()',
      })),
    };
    const model = modelOf([session(many)], { pageSize: 200 });
    const group = groups(model.children(model.roots()[0]))[0];
    let rows = model.children(group);
    assert.equal(rows.length, 201);
    const more = rows[200];
    assert.ok(more.kind === 'more' && !more.fetch && more.remaining === 250);
    model.showMore(more.listId);
    rows = model.children(group);
    assert.equal(rows.length, 401);
  });

  it('explains sessions it cannot show, programs that run, failures and exits', () => {
    const text = (view: SessionView) =>
      messages(modelOf([view]).children(modelOf([view]).roots()[0])).map((m) => m.text);
    assert.match(
      text(session(undefined, { sourceLabel: undefined, debugType: 'chrome' }))[0],
      /this is a “chrome” session/,
    );
    assert.match(text(session(undefined, { status: 'running' }))[0], /pause it or press Refresh/);
    assert.match(
      text(session(undefined, { status: 'running', capturesWhileRunning: false, sourceLabel: 'Python' }))[0],
      /Python programs are inspected while paused/,
    );
    assert.deepEqual(
      text(session(undefined, { error: 'The debugger did not answer “evaluate” within 10 s.' })),
      ['The debugger did not answer “evaluate” within 10 s.'],
    );
    assert.match(
      text(session(snapshot, { status: 'exited', stale: true }))[0],
      /^The program exited; its last snapshot is from/,
    );
  });

  it("shows the runtime's notes as information rows above the groups", () => {
    const noted: Snapshot = { ...snapshot, notes: ['Promise tracking paused once (2.0 s in all).'] };
    const model = modelOf([session(noted)]);
    const rows = model.children(model.roots()[0]);
    const note = messages(rows).find((row) => row.text.startsWith('Promise tracking'));
    assert.equal(note?.severity, 'info');
    assert.ok(rows.indexOf(note as TaskTreeElement) < rows.findIndex((row) => row.kind === 'group'));
  });

  it('shows alike handles as one row with their count', () => {
    const timers: Snapshot = {
      ...snapshot,
      handles: [
        { id: 'h1', type: 'Timeout', description: 'setTimeout 5 ms' },
        { id: 'h2', type: 'Timeout', description: 'setTimeout 5 ms' },
        { id: 'h3', type: 'TCPSERVERWRAP', description: 'server listening on 127.0.0.1:80' },
      ],
    };
    const model = modelOf([session(timers)]);
    const handles = model.children(model.roots()[0]).find((row) => row.kind === 'handles');
    assert.ok(handles);
    assert.deepEqual(
      model.children(handles).map((row) => row.kind === 'handle' && [row.handle.description, row.count]),
      [
        ['setTimeout 5 ms', 2],
        ['server listening on 127.0.0.1:80', 1],
      ],
    );
  });

  it('nests child sessions under their parent session', () => {
    const model = modelOf([
      session(snapshot),
      session(undefined, { id: 's2', name: 'worker.js [99]', parentId: 's1' }),
    ]);
    assert.deepEqual(
      model.roots().map((row) => row.id),
      ['s1'],
    );
    const child = model.children(model.roots()[0])[0];
    assert.equal(child.kind === 'session' && child.session.name, 'worker.js [99]');
  });
});

// The tree the view shows, built from real snapshots: the agent runs on a fixture program of known
// structure (three fetchUser calls hanging forever on hangForever's promises, a server, a timer).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseSnapshot } from '../../../src/snapshot/checkSnapshot';
import type { Snapshot } from '../../../src/snapshot/format';
import type { GroupRow, MessageRow, Row } from '../../../src/tasks/rows/rowTypes';
import { TaskRows } from '../../../src/tasks/rows/taskRows';
import { type NewSession, type SessionState, SessionStore } from '../../../src/tasks/state/sessionStore';
import { type ViewOptions, ViewOptionsStore } from '../../../src/tasks/state/viewOptions';
import { DEFAULT_FILTER } from '../../../src/tasks/taskFilter';
import { repositoryRoot } from '../../support/repositoryRoot';

const fixture = join(repositoryRoot, 'test', 'fixtures', 'agent', 'hangingFunctions.js');

function agentSnapshot(options: Record<string, unknown>): Snapshot {
  const output = execFileSync(
    process.execPath,
    ['--require', join(repositoryRoot, 'dist', 'agent.js'), fixture, JSON.stringify(options)],
    { encoding: 'utf8' },
  );
  return parseSnapshot(output);
}

/** A session as the store holds it after these events: started, paused, a snapshot (or a failure), maybe ended. */
interface SessionEvents extends Partial<NewSession> {
  snapshot?: Snapshot;
  status?: 'running' | 'paused' | 'exited';
  error?: string;
}

function storeOf(sessions: SessionEvents[]): SessionStore {
  const store = new SessionStore();
  for (const events of sessions) {
    const { snapshot, status = 'paused', error, ...started } = events;
    const id = started.id ?? 's1';
    store.add({
      id,
      name: 'hangingFunctions.js [1234]',
      debugType: 'pwa-node',
      sourceLabel: 'Node.js',
      capturesWhileRunning: true,
      ...started,
    });
    if (status !== 'running') store.paused(id);
    if (snapshot || error) {
      const ticket = store.captureStarted(id);
      assert.ok(ticket);
      if (snapshot) store.captured(ticket, snapshot, Date.now());
      if (error) store.captureFailed(ticket, error);
    }
    if (status === 'exited') store.ended(id);
  }
  return store;
}

function rowsOf(store: SessionStore, options: Partial<ViewOptions> = {}, pageSize = 200) {
  const viewOptions = new ViewOptionsStore();
  viewOptions.update(options);
  return { rows: new TaskRows(store, viewOptions, pageSize), viewOptions, store };
}

const viewOf = (sessions: SessionEvents[], options: Partial<ViewOptions> = {}, pageSize = 200) =>
  rowsOf(storeOf(sessions), options, pageSize);
const children = (row: Row) => row.expand?.() ?? [];
const firstSession = (rows: TaskRows) => rows.roots()[0];
const groups = (rows: Row[]) => rows.filter((row): row is GroupRow => row.kind === 'group');
const messages = (rows: Row[]) => rows.filter((row): row is MessageRow => row.kind === 'message');

describe('rows over real agent snapshots', () => {
  let snapshot: Snapshot;
  before(function () {
    this.timeout(20_000);
    snapshot = agentSnapshot({ maxTasksPerGroup: 2 });
  });

  it('shows one session row with the groups the agent made, biggest first, and what keeps the program alive', () => {
    const { rows, store } = viewOf([{ snapshot }]);
    const sessionRow = firstSession(rows);
    assert.equal(sessionRow.kind, 'session');
    const below = children(sessionRow);
    const labels = groups(below).map((row) => `${row.group.label} ×${row.group.count}`);
    // The default grouping: the three hanging fetchUser calls as operations merged by their stack.
    assert.deepEqual(labels, ['hangForever ← fetchUser ×3']);
    const handles = below.find((row) => row.kind === 'handles');
    assert.ok(handles);
    assert.ok(children(handles).some((row) => row.kind === 'handle' && row.handle.type === 'TCPSERVERWRAP'));
    assert.equal(rows.countOf(store.sessions()[0]), snapshot.truncated?.totalTasks);
    assert.equal(sessionRow.kind === 'session' && sessionRow.taskCount, snapshot.truncated?.totalTasks);
  });

  it('lists the tasks sent and offers to load the one the agent kept back, which the agent then sends', function () {
    this.timeout(20_000);
    const { rows, store } = viewOf([{ snapshot }]);
    const fetchUser = groups(children(firstSession(rows)))[0];
    const below = children(fetchUser);
    assert.deepEqual(
      below.map((row) => row.kind),
      ['task', 'task', 'more'],
    );
    const more = below[2];
    assert.ok(more.kind === 'more' && more.fetch);
    assert.equal(more.remaining, 1);
    // What the capture scheduler does on "Load more": ask the agent for that group from that offset.
    const part = agentSnapshot({ group: more.fetch.sourceGroupId, offset: more.fetch.offset, limit: 10 });
    assert.equal(part.tasks.length, 1);
    store.moreTasksLoaded('s1', more.fetch.sourceGroupId, part.tasks);
    const expanded = children(groups(children(firstSession(rows)))[0]);
    assert.deepEqual(
      expanded.map((row) => row.kind),
      ['task', 'task', 'task'],
    );
  });

  it('nests awaiting promises under the promise they await in the parent tree', function () {
    this.timeout(20_000);
    // The parent tree asks for the parts (captureRequest): promises and resources by type.
    const parts = agentSnapshot({ groupBy: 'type' });
    const { rows } = viewOf([{ snapshot: parts }], { mode: 'tree' });
    const roots = children(firstSession(rows)).filter((row) => row.kind === 'task');
    const hang = roots.find(
      (row) => row.kind === 'task' && row.task.name === 'new Promise in hangForever' && row.childCount > 0,
    );
    assert.ok(hang, 'a hangForever promise with children');
    const below = children(hang);
    assert.ok(below.every((row) => row.kind === 'task' && row.task.name === 'await in fetchUser'));
  });

  it('filters by text and says so when nothing matches', () => {
    const { rows, viewOptions } = viewOf([{ snapshot }], {
      filter: { ...DEFAULT_FILTER, text: 'hangForever' },
    });
    assert.deepEqual(
      groups(children(firstSession(rows))).map((row) => row.group.label),
      ['hangForever ← fetchUser'],
    );
    viewOptions.update({ filter: { ...DEFAULT_FILTER, text: 'no such thing' } });
    const shown = messages(children(firstSession(rows)));
    const empty = shown.find((row) => row.text === 'No task matches the filter.');
    assert.equal(empty?.action?.command, 'asyncToolkit.clearTaskFilter');
    const filtered = shown.find((row) => row.text.startsWith('Filtered: '));
    assert.equal(filtered?.text, 'Filtered: “no such thing”');
    assert.equal(filtered?.action?.command, 'asyncToolkit.clearTaskFilter');
    assert.equal(shown.indexOf(filtered as MessageRow), 0, 'the filter is said first');
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
    const { rows } = viewOf([{ snapshot: many }], {}, 200);
    const group = groups(children(firstSession(rows)))[0];
    let below = children(group);
    assert.equal(below.length, 201);
    const more = below[200];
    assert.ok(more.kind === 'more' && !more.fetch && more.remaining === 250);
    rows.showMore(more.listId);
    below = children(groups(children(firstSession(rows)))[0]);
    assert.equal(below.length, 401);
  });

  it('explains sessions it cannot show, programs that run, failures and exits', () => {
    const text = (events: SessionEvents) =>
      messages(children(firstSession(viewOf([events]).rows))).map((m) => m.text);
    assert.match(text({ sourceLabel: undefined, debugType: 'chrome' })[0], /this is a “chrome” session/);
    assert.match(text({ status: 'running' })[0], /pause it or press Refresh/);
    assert.match(
      text({ status: 'running', capturesWhileRunning: false, sourceLabel: 'Python' })[0],
      /Python programs are inspected while paused/,
    );
    assert.deepEqual(text({ error: 'The debugger did not answer “evaluate” within 10 s.' }), [
      'The debugger did not answer “evaluate” within 10 s.',
    ]);
    assert.match(text({ snapshot, status: 'exited' })[0], /^The program exited; its last snapshot is from/);
  });

  it("shows the runtime's notes as information rows above the groups", () => {
    const noted: Snapshot = { ...snapshot, notes: ['Promise tracking paused once (2.0 s in all).'] };
    const below = children(firstSession(viewOf([{ snapshot: noted }]).rows));
    const note = messages(below).find((row) => row.text.startsWith('Promise tracking'));
    assert.equal(note?.severity, 'info');
    assert.ok(below.indexOf(note as Row) < below.findIndex((row) => row.kind === 'group'));
  });

  it('lets what keeps the program alive follow the search text, and says when the filter does not apply to it', () => {
    const { rows, viewOptions } = viewOf([{ snapshot }], { filter: { ...DEFAULT_FILTER, text: 'server' } });
    let handles = children(firstSession(rows)).find((row) => row.kind === 'handles');
    assert.ok(handles?.kind === 'handles' && handles.filtered);
    assert.deepEqual(
      handles.handles.map((handle) => handle.type),
      ['TCPSERVERWRAP'],
    );
    viewOptions.update({ filter: { ...DEFAULT_FILTER, types: ['PROMISE'] } });
    handles = children(firstSession(rows)).find((row) => row.kind === 'handles');
    assert.ok(
      handles?.kind === 'handles' && !handles.filtered && handles.handles.length === snapshot.handles?.length,
    );
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
    const handles = children(firstSession(viewOf([{ snapshot: timers }]).rows)).find(
      (row) => row.kind === 'handles',
    );
    assert.ok(handles);
    assert.deepEqual(
      children(handles).map((row) => row.kind === 'handle' && [row.handle.description, row.count]),
      [
        ['setTimeout 5 ms', 2],
        ['server listening on 127.0.0.1:80', 1],
      ],
    );
  });

  it('nests child sessions under their parent session', () => {
    const { rows } = viewOf([{ snapshot }, { id: 's2', name: 'worker.js [99]', parentId: 's1' }]);
    assert.deepEqual(
      rows.roots().map((row) => row.id),
      ['s1'],
    );
    const child = children(firstSession(rows))[0];
    assert.equal(child.kind === 'session' && child.session.name, 'worker.js [99]');
  });

  it('compares groups with the previous snapshot taken before the program last ran', () => {
    const store = storeOf([{ snapshot }]);
    const { rows } = rowsOf(store, { compare: true });
    assert.equal(
      messages(children(firstSession(rows)))[0]?.text,
      'Nothing to compare with yet: refresh again later.',
    );
    store.resumed('s1');
    store.paused('s1');
    const ticket = store.captureStarted('s1');
    assert.ok(ticket);
    const grown: Snapshot = {
      ...snapshot,
      groups: snapshot.groups?.map((g, i) => (i === 0 ? { ...g, count: g.count + 2 } : g)),
    };
    store.captured(ticket, grown, Date.now());
    const first = groups(children(firstSession(rows)))[0];
    assert.equal(first.change?.delta, 2);
    assert.equal(first.comparedWith, store.sessions()[0].previous?.receivedAt);
  });
});

describe('frame rows', () => {
  it('expand a suspended task into its frames, innermost first, library and runtime frames marked', () => {
    const user = { file: '/app/client.py', line: 12, functionName: 'fetch_page' };
    const library = {
      file: '/usr/lib/python3/dist-packages/httpx/_client.py',
      line: 1530,
      functionName: 'get',
      origin: 'library' as const,
    };
    const snapshot: Snapshot = {
      ...minimal(1),
      runtime: 'asyncio',
      tasks: [
        {
          id: 't',
          parentId: null,
          type: 'Task',
          state: 'pending',
          awaiting: 'AsyncClient.get()',
          stack: [library, user],
          stackKind: 'suspended',
        },
        { id: 'c', parentId: null, type: 'PROMISE', state: 'pending', stack: [user], stackKind: 'creation' },
      ],
    };
    const groupRows = groups(children(firstSession(viewOf([{ snapshot }]).rows)));
    const taskRows = groupRows.flatMap((group) => children(group));
    const suspended = taskRows.find((row) => row.kind === 'task' && row.task.id === 't');
    assert.ok(suspended);
    assert.deepEqual(
      children(suspended).map((row) => row.kind === 'frame' && [row.frame.functionName, row.frame.origin]),
      [
        ['get', 'library'],
        ['fetch_page', undefined],
      ],
    );
    const created = taskRows.find((row) => row.kind === 'task' && row.task.id === 'c');
    assert.equal(created?.expand, undefined, 'a creation stack is not where a task waits: no frame rows');
  });

  it('follow a Node operation’s waits with the callers that started it, marked as such', () => {
    const wait = { file: '/app/orders.js', line: 18, functionName: 'waitForWarehouse' };
    const outer = { file: '/app/orders.js', line: 32, functionName: 'placeOrder' };
    const starter = { file: '/app/orders.js', line: 46, functionName: 'takeOrders' };
    const snapshot: Snapshot = {
      ...minimal(1),
      tasks: [
        {
          id: 'o1',
          parentId: null,
          type: 'Operation',
          state: 'pending',
          stack: [wait, outer],
          stackKind: 'suspended',
          startedBy: [starter],
        },
      ],
    };
    const [operation] = groups(children(firstSession(viewOf([{ snapshot }]).rows))).flatMap((group) =>
      children(group),
    );
    assert.deepEqual(
      children(operation).map(
        (row) => row.kind === 'frame' && [row.frame.functionName, row.starter ?? false],
      ),
      [
        ['waitForWarehouse', false],
        ['placeOrder', false],
        ['takeOrders', true],
      ],
    );
  });
});

describe('problems rows', () => {
  it('say "No problems found" when the view looked and found none', () => {
    const calm: Snapshot = {
      ...minimal(1),
      tasks: [{ id: 'a', parentId: null, type: 'Task', state: 'pending', ageMs: 5 }],
    };
    const findings = children(firstSession(viewOf([{ snapshot: calm }]).rows)).find(
      (row) => row.kind === 'findings',
    );
    assert.ok(findings?.kind === 'findings');
    assert.deepEqual(findings.findings, []);
    assert.equal(findings.expand, undefined);
  });

  it('come first after the messages, one per finding, each expanding to the tasks it names', () => {
    const deadlock: Snapshot = {
      ...minimal(1),
      runtime: 'asyncio',
      tasks: [
        { id: 'a', parentId: 'b', type: 'Task', state: 'pending', name: 'left' },
        { id: 'b', parentId: 'a', type: 'Task', state: 'pending', name: 'right' },
      ],
    };
    const below = children(firstSession(viewOf([{ snapshot: deadlock }]).rows));
    const findings = below.find((row) => row.kind === 'findings');
    assert.ok(findings);
    assert.ok(below.indexOf(findings) < below.findIndex((row) => row.kind === 'group'));
    const [finding] = children(findings);
    assert.ok(finding.kind === 'finding');
    assert.equal(finding.finding.kind, 'cycle');
    assert.deepEqual(
      children(finding).map((row) => row.kind === 'task' && row.task.name),
      ['left', 'right'],
    );
  });
});

describe('session store', () => {
  it('marks a snapshot stale once the program runs, and a retake in the same pause does not become its own previous', () => {
    const store = storeOf([{ snapshot: minimal(1) }]);
    const session = () => store.get('s1') as SessionState;
    assert.equal(session().stale, false);
    let ticket = store.captureStarted('s1');
    assert.ok(ticket);
    store.captured(ticket, minimal(2), 2);
    assert.equal(session().previous, undefined, 'a retake in the same pause');
    store.resumed('s1');
    assert.equal(session().stale, true);
    store.paused('s1');
    ticket = store.captureStarted('s1');
    assert.ok(ticket);
    store.captured(ticket, minimal(3), 3);
    assert.equal(session().previous?.snapshot.pid, 2);
    assert.equal(session().stale, false);
  });

  it('keeps a snapshot that arrives after the program resumed, marked stale', () => {
    const store = storeOf([{}]);
    const ticket = store.captureStarted('s1');
    assert.ok(ticket);
    store.resumed('s1');
    store.captured(ticket, minimal(1), 1);
    assert.equal(store.get('s1')?.stale, true);
  });

  it('replaces programs that exited when a new program starts, but not by a child session', () => {
    const store = storeOf([{ snapshot: minimal(1), status: 'exited' }]);
    store.add({
      id: 'child',
      name: 'child',
      parentId: 's1',
      debugType: 'pwa-node',
      capturesWhileRunning: true,
    });
    assert.deepEqual(
      store.sessions().map((s) => s.id),
      ['s1', 'child'],
    );
    store.add({ id: 's2', name: 'next', debugType: 'pwa-node', capturesWhileRunning: true });
    assert.deepEqual(
      store.sessions().map((s) => s.id),
      ['child', 's2'],
    );
  });
});

function minimal(pid: number): Snapshot {
  return { version: 1, runtime: 'node', pid, takenAt: pid, tasks: [] };
}

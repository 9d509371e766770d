import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TasksViewApi } from '../../src/tasks/registerTasksView';
import type { GroupRow, Row, SessionRow } from '../../src/tasks/rows/rowTypes';
import { repositoryRoot } from '../support/repositoryRoot';
import { waitUntil } from '../support/waitUntil';
import {
  launchNodeStopped,
  requestWithTimeout,
  stopAllSessions,
  topFrameId,
  waitForStop,
} from './support/debugSessions';
import { nextSnapshotRow, sessionElement, snapshotRow, tasksApi, until } from './support/tasksView';

// Types only from src/: the objects come from the extension's own copy, through its API.
const demoProgram = join(repositoryRoot, 'demo', 'node', 'stuckRequests.js');
/** 1-based line of the demo's first line that contains `text`. */
const demoLine = (text: string) =>
  readFileSync(demoProgram, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(text)) + 1;
/** Where a stuck order waits: the warehouse's promise, awaited in placeOrder. */
const warehouseLine = demoLine('return new Promise((resolve) => {');
const placeOrderWaitLine = demoLine('await waitForWarehouse(');
const STUCK_ORDERS = 'waitForWarehouse ← placeOrder';

/**
 * Refreshes until `check` returns a value: a program that was just launched may not have run its
 * main script (or even loaded the agent) when the first snapshot is taken.
 */
function refreshUntil<T>(api: TasksViewApi, check: () => T | undefined, what: string): Promise<T> {
  return waitUntil(
    `a refresh to show ${what}`,
    async () => {
      await api.refresh();
      return check();
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
}

function children(api: TasksViewApi, element: Row): Row[] {
  return api.getChildren(element);
}

function groupLabelled(api: TasksViewApi, session: SessionRow, prefix: string): GroupRow | undefined {
  return children(api, session).find(
    (element): element is GroupRow => element.kind === 'group' && element.group.label.startsWith(prefix),
  );
}

/** Launches a program through js-debug and waits for its process session to stop. */
const launchProgram = launchNodeStopped;

const launchDemo = (extra: Record<string, unknown> = {}) => launchProgram(demoProgram, extra);

describe('Node tasks in the Async Tasks view', () => {
  let api: TasksViewApi;
  before(async () => {
    api = await tasksApi();
  });
  afterEach(async () => {
    await stopAllSessions();
    await vscode.commands.executeCommand('asyncToolkit.showTaskGroups');
    await vscode.commands.executeCommand('asyncToolkit.clearTaskFilter');
    await vscode.commands.executeCommand('asyncToolkit.stopComparingTaskSnapshots');
    await vscode.workspace
      .getConfiguration('asyncToolkit')
      .update('node.injectAgent', undefined, vscode.ConfigurationTarget.Global);
  });

  it('injects the agent, snapshots on the stop and shows the stuck orders as operations merged by their stack', async () => {
    const { session } = await launchDemo();
    const element = await snapshotRow(api, session.id, 'a snapshot after the stop');
    assert.equal(element.session.id, session.id, 'the view follows the process session, not the launcher');
    assert.equal(element.session.error, undefined);
    assert.equal(element.session.snapshot?.runtime, 'node');
    assert.equal(element.session.snapshot?.error, undefined, 'the agent was loaded');

    // 40 orders, then 20 at the first tick: 20 of the first 40 wait for the warehouse forever.
    const stuck = groupLabelled(api, element, STUCK_ORDERS);
    assert.ok(
      stuck,
      `no stuck orders in ${children(api, element)
        .map((child) => child.id)
        .join(', ')}`,
    );
    assert.equal(stuck.group.kind, 'stack');
    assert.ok(stuck.group.count >= 20 && stuck.group.count <= 60, `count ${stuck.group.count}`);
    assert.equal(stuck.group.site?.file, demoProgram);
    assert.equal(stuck.group.site?.line, warehouseLine);

    const item = api.getTreeItem(stuck);
    assert.equal(item.label, `${stuck.group.count} × ${STUCK_ORDERS}`);
    assert.match(String(item.description), /^new Promise — resolver not called yet · oldest /);
    assert.equal(item.command?.command, 'asyncToolkit.openTaskSite');

    const tasks = children(api, stuck);
    assert.ok(tasks.length > 0 && tasks.every((task) => task.kind === 'task'));
    const taskItem = api.getTreeItem(tasks[0]);
    assert.match(
      String(taskItem.description),
      // "waiting …" only when it reads differently from the operation's age.
      new RegExp(`^\\d[^·]*( · waiting [^·]+)? · stuckRequests\\.js:${warehouseLine}$`),
    );
    assert.match(
      (taskItem.tooltip as vscode.MarkdownString).value,
      new RegExp(
        `Suspended at:[\\s\\S]*stuckRequests\\.js:${warehouseLine}[\\s\\S]*stuckRequests\\.js:${placeOrderWaitLine}`,
      ),
    );
    const frames = children(api, tasks[0]).map((frame) => String(api.getTreeItem(frame).label));
    // Where it waits, then who started it: takeOrders, called from the server's callbacks.
    assert.deepEqual(frames.slice(0, 3), ['waitForWarehouse', 'placeOrder', 'takeOrders']);

    const handles = children(api, element).find((child) => child.kind === 'handles');
    assert.ok(handles, 'the "keeping the program alive" section is there');
    const handleLabels = children(api, handles).map((handle) => String(api.getTreeItem(handle).label));
    assert.ok(
      handleLabels.some((label) => /TCPSERVERWRAP — server listening on 127\.0\.0\.1:\d+/.test(label)),
      handleLabels.join('\n'),
    );
    // Resources are what operations wait on and what keeps the program alive: no rows of their own.
    assert.ok(
      children(api, element).every((child) => child.kind !== 'group' || child.group.kind === 'stack'),
    );
  });

  it('opens where a group of operations waits and reveals it in the view', async () => {
    const { session } = await launchDemo();
    const element = await until(
      api,
      () => {
        const found = sessionElement(api, session.id);
        return found?.session.snapshot ? found : undefined;
      },
      'a snapshot',
    );
    const stuck = groupLabelled(api, element, STUCK_ORDERS);
    assert.ok(stuck);
    const item = api.getTreeItem(stuck);
    await vscode.commands.executeCommand(item.command?.command as string, ...(item.command?.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, demoProgram);
    assert.equal(editor?.selection.active.line, warehouseLine - 1, 'lines are 1-based in snapshots');
    // A snapshot retaken meanwhile (the program was paused a moment ago) replaces the rows: reveal the
    // group as the tree holds it now, once the tree has drawn it.
    let revealed: unknown;
    for (let attempt = 0; attempt < 5 && revealed !== true; attempt++) {
      const now = groupLabelled(api, sessionElement(api, session.id) as SessionRow, STUCK_ORDERS);
      assert.ok(now, 'the group is still there');
      revealed = await api.reveal(now).then(
        () => true,
        (error: unknown) => error,
      );
      if (revealed !== true) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(revealed, true, `reveal: ${String(revealed)}`);
  });

  it('shows the parent tree, filters by text, and compares with the previous snapshot', async () => {
    const { session } = await launchDemo();
    const first = await snapshotRow(api, session.id, 'a first snapshot');
    const firstTakenAt = first.session.snapshot?.takenAt;

    // The parent tree is drawn from the parts (promises and resources): switching retakes the snapshot.
    await vscode.commands.executeCommand('asyncToolkit.showTaskTree');
    await until(
      api,
      () => {
        const tree = sessionElement(api, session.id);
        const roots = tree ? children(api, tree).filter((child) => child.kind === 'task') : [];
        return roots.some((root) => root.kind === 'task' && root.childCount > 0) ? tree : undefined;
      },
      'a parent tree of promises, some with children',
    );
    await vscode.commands.executeCommand('asyncToolkit.showTaskGroups');
    await until(
      api,
      () => groupLabelled(api, sessionElement(api, session.id) as SessionRow, STUCK_ORDERS),
      'the operations again',
    );

    await vscode.commands.executeCommand('asyncToolkit.filterTasks', 'refreshPrices');
    const filtered = children(api, first).filter((child): child is GroupRow => child.kind === 'group');
    assert.ok(filtered.length > 0);
    assert.ok(
      filtered.every((group) => group.group.label.includes('refreshPrices')),
      filtered.map((g) => g.group.label).join(),
    );
    await vscode.commands.executeCommand('asyncToolkit.clearTaskFilter');
    // Filters are applied by the agent too: the filter change retook the snapshot in this same pause.
    await api.refresh();

    // Continue: the snapshot goes stale until the next `debugger;` a tick later brings a new one.
    await session.customRequest('continue', { threadId: 0 });
    const second = await nextSnapshotRow(api, session.id, firstTakenAt, 'a second snapshot', {
      accept: (found) => found.session.status === 'paused',
    });
    await vscode.commands.executeCommand('asyncToolkit.compareTaskSnapshots');
    const grown = groupLabelled(api, second, STUCK_ORDERS);
    assert.ok(grown?.change, 'the group has a change since the previous snapshot');
    // Half of each tick's 20 new orders never finish: the group only grows.
    const previous = second.session.previous;
    assert.ok(
      grown.change.delta > 0,
      `delta ${JSON.stringify(grown.change)}; takenAt ${firstTakenAt} → previous ${previous?.snapshot.takenAt} → current ${second.session.snapshot?.takenAt}`,
    );
    assert.match(String(api.getTreeItem(grown).description), /\+\d+ since \d\d:\d\d:\d\d/);
  });

  it('counts promises without creation sites when the agent is not loaded, and says how to load it', async () => {
    await vscode.workspace
      .getConfiguration('asyncToolkit')
      .update('node.injectAgent', false, vscode.ConfigurationTarget.Global);
    const { session } = await launchDemo();
    const element = await snapshotRow(api, session.id, 'a census snapshot');
    assert.match(element.session.snapshot?.error ?? '', /agent is not loaded/);
    const messages = children(api, element).filter((child) => child.kind === 'message');
    assert.ok(
      messages.some((message) => message.kind === 'message' && /agent is not loaded/.test(message.text)),
    );
    const pending = groupLabelled(api, element, 'Promise — pending');
    assert.ok(
      pending,
      children(api, element)
        .map((child) => child.id)
        .join(', '),
    );
    // At least the 20 orders waiting for the warehouse forever, and their awaiting async functions.
    assert.ok(pending.group.count >= 20, `count ${pending.group.count}`);
  });

  it("keeps the NODE_OPTIONS of a launch's envFile and adds the agent after them", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'async-toolkit-envfile-'));
    try {
      const envFile = join(folder, 'app.env');
      writeFileSync(envFile, 'NODE_OPTIONS=--max-http-header-size=12345\nPORT=1\n');
      const { session, threadId } = await launchProgram(
        join(repositoryRoot, 'test', 'fixtures', 'programs', 'pauseNode.js'),
        { envFile },
      );
      const frameId = await topFrameId(session, threadId);
      const evaluate = async (expression: string) =>
        (
          await requestWithTimeout<{ result: string }>(session, 'evaluate', {
            expression,
            frameId,
            context: 'repl',
          })
        ).result;
      assert.equal(await evaluate('require("node:http").maxHeaderSize'), '12345', 'the envFile option kept');
      assert.equal(await evaluate('typeof globalThis.__asyncToolkit'), "'object'", 'the agent loaded');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('leaves a Run Without Debugging launch alone: no agent where no snapshot can be taken', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'async-toolkit-nodebug-'));
    try {
      const report = join(folder, 'agent.txt');
      const ended = new Promise<void>((resolve) => {
        const listener = vscode.debug.onDidTerminateDebugSession(() => {
          if (existsSync(report)) {
            listener.dispose();
            resolve();
          }
        });
      });
      const started = await vscode.debug.startDebugging(
        undefined,
        {
          type: 'node',
          request: 'launch',
          name: 'no debugging',
          program: join(repositoryRoot, 'test', 'fixtures', 'programs', 'reportAgent.js'),
          args: [report],
          console: 'internalConsole',
        },
        { noDebug: true },
      );
      assert.equal(started, true);
      await ended;
      assert.equal(readFileSync(report, 'utf8'), 'undefined');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('says when promise tracking paused under load, and still lists what was made meanwhile', async () => {
    const { session } = await launchProgram(
      join(repositoryRoot, 'test', 'fixtures', 'programs', 'promiseFlood.js'),
    );
    const element = await snapshotRow(api, session.id, 'a snapshot after the flood');
    const rows = children(api, element);
    const describe = () => rows.map((row) => row.id).join(', ');
    const note = rows.find((row) => row.kind === 'message' && /^Promise tracking is paused: /.test(row.text));
    assert.ok(note, `no note on paused tracking in ${describe()}`);
    assert.equal(api.getTreeItem(note).label, note.kind === 'message' ? note.text : undefined);
    // Made before the flood: an operation with its stack. Made during the pause: listed, without one.
    assert.ok(groupLabelled(api, element, 'hangBeforeFlood'), describe());
    const untracked = groupLabelled(api, element, '(made while tracking was paused)');
    assert.ok(untracked && untracked.group.count >= 1, describe());
  });

  it('loads the agent into programs started in a JavaScript Debug Terminal', async () => {
    // The process session of a terminal launch keeps the terminal's type, `node-terminal`.
    const stopped = waitForStop((session) => session.parentSession !== undefined, 60_000);
    const started = await vscode.debug.startDebugging(undefined, {
      type: 'node-terminal',
      request: 'launch',
      name: 'terminal',
      command: `node ${JSON.stringify(demoProgram)}`,
    });
    assert.equal(started, true);
    const { session } = await stopped;
    const element = await snapshotRow(api, session.id, 'a snapshot of the terminal program');
    assert.equal(element.session.snapshot?.error, undefined, 'the agent was loaded, not the CDP fallback');
    assert.ok(groupLabelled(api, element, STUCK_ORDERS));
  });

  it('keeps the last snapshot greyed with a message when the program exits', async () => {
    const { session } = await launchDemo();
    await until(api, () => sessionElement(api, session.id)?.session.snapshot, 'a snapshot');
    await stopAllSessions();
    const element = await until(
      api,
      () => {
        const found = sessionElement(api, session.id);
        return found?.session.status === 'exited' ? found : undefined;
      },
      'the session to end',
    );
    assert.equal(element.session.stale, true);
    const exited = children(api, element).find(
      (child) => child.kind === 'message' && child.id.endsWith('message:exited'),
    );
    assert.ok(exited);
    assert.match(
      exited.kind === 'message' ? exited.text : '',
      /The program exited; its last snapshot is from \d\d:\d\d:\d\d/,
    );
    assert.equal(api.getTreeItem(element).resourceUri?.scheme, 'async-toolkit-stale');
  });
});

describe('Node tasks while the program runs, and the view commands', () => {
  let api: TasksViewApi;
  const config = () => vscode.workspace.getConfiguration('asyncToolkit');
  before(async () => {
    api = await tasksApi();
  });
  afterEach(async () => {
    await stopAllSessions();
    for (const key of ['refreshWhileRunning', 'refreshIntervalSeconds', 'tasks.maxTasksPerGroup']) {
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  /** Starts the never-pausing fixture and resolves with its process session, once the view shows it. */
  async function launchRunning(): Promise<SessionRow> {
    const started = await vscode.debug.startDebugging(undefined, {
      type: 'node',
      request: 'launch',
      name: 'running',
      program: join(repositoryRoot, 'test', 'fixtures', 'programs', 'nodeRunning.js'),
      console: 'internalConsole',
    });
    assert.equal(started, true);
    return until(
      api,
      () =>
        api
          .getChildren()
          .find(
            (element): element is SessionRow =>
              element.kind === 'session' &&
              element.session.name.startsWith('nodeRunning.js') &&
              element.session.status === 'running',
          ),
      'the running session',
    );
  }

  it('takes a snapshot on Refresh while the program runs, without pausing it', async () => {
    const element = await launchRunning();
    const waiting = children(api, element).find(
      (child) => child.kind === 'message' && child.id.endsWith('message:waiting'),
    );
    assert.ok(waiting, 'the view says how to see the tasks of a running program');
    await vscode.commands.executeCommand('asyncToolkit.refreshTasks');
    const refreshed = await refreshUntil(
      api,
      () => {
        const found = sessionElement(api, element.session.id);
        return found && groupLabelled(api, found, 'waitForJob') ? found : undefined;
      },
      'the jobs show',
    );
    assert.equal(refreshed.session.status, 'running');
    const jobs = groupLabelled(api, refreshed, 'waitForJob');
    assert.equal(jobs?.group.count, 10);
  });

  it('refreshes on a timer while running when refreshWhileRunning is on and the view is visible', async () => {
    await config().update('refreshWhileRunning', true, vscode.ConfigurationTarget.Global);
    await config().update('refreshIntervalSeconds', 0.5, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('asyncToolkit.tasks.focus');
    const element = await launchRunning();
    const first = await until(
      api,
      () => sessionElement(api, element.session.id)?.session.snapshot,
      'a timed snapshot',
    );
    const second = await until(
      api,
      () => {
        const snapshot = sessionElement(api, element.session.id)?.session.snapshot;
        return snapshot && snapshot.takenAt > first.takenAt ? snapshot : undefined;
      },
      'a second timed snapshot',
    );
    assert.equal(sessionElement(api, element.session.id)?.session.status, 'running');
    assert.ok(second.tasks.length > 0);
  });

  it('loads the rest of a group from the program, exports the snapshot without overwriting, copies a stack', async () => {
    await config().update('tasks.maxTasksPerGroup', 4, vscode.ConfigurationTarget.Global);
    const element = await launchRunning();
    const jobs = () =>
      groupLabelled(api, sessionElement(api, element.session.id) as SessionRow, 'waitForJob');
    await refreshUntil(api, jobs, 'the jobs show');
    const rows = children(api, jobs() as GroupRow);
    assert.deepEqual(
      rows.map((row) => row.kind),
      ['task', 'task', 'task', 'task', 'more'],
    );
    const more = rows[4];
    await vscode.commands.executeCommand('asyncToolkit.showMoreTasks', more);
    const after = children(api, jobs() as GroupRow);
    assert.equal(after.filter((row) => row.kind === 'task').length, 8);
    assert.equal(after.at(-1)?.kind, 'more');

    const directory = mkdtempSync(join(tmpdir(), 'async-toolkit-export-'));
    try {
      const target = vscode.Uri.file(join(directory, 'snapshot.json'));
      await vscode.commands.executeCommand('asyncToolkit.exportTaskSnapshot', element, target);
      const exported = JSON.parse(readFileSync(target.fsPath, 'utf8'));
      assert.equal(exported.pid, api.getSnapshot(element.session.id)?.pid);
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('asyncToolkit.exportTaskSnapshot', element, target)),
        /already exists; not overwriting it/,
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }

    const task = after[0];
    const copied = await vscode.commands.executeCommand<string>('asyncToolkit.copyTaskStack', task);
    assert.match(copied, /at waitForJob \(.*nodeRunning\.js:\d+:\d+\)/);
    assert.equal(await vscode.env.clipboard.readText(), copied);
  });
});

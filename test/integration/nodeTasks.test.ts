import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TasksViewApi } from '../../src/tasks/registerTasksView';
import type { GroupElement, SessionElement, TaskTreeElement } from '../../src/tasks/taskTreeModel';
import { repositoryRoot, stopAllSessions, waitForStop } from './support/debugSessions';

// Types only from src/: the objects come from the extension's own copy, through its API.
const demoProgram = join(repositoryRoot, 'demo', 'node', 'stuckRequests.js');

async function tasksApi(): Promise<TasksViewApi> {
  const extension = vscode.extensions.getExtension<{ tasks: TasksViewApi }>('async-toolkit.async-toolkit');
  assert.ok(extension, 'the extension is not loaded');
  return (await extension.activate()).tasks;
}

/** Resolves once `check` returns a value, re-checking after every change of the view. */
function until<T>(
  api: TasksViewApi,
  check: () => T | undefined,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const value = check();
      if (value === undefined) return false;
      clearTimeout(timer);
      listener.dispose();
      resolve(value);
      return true;
    };
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const listener = api.onDidChange(attempt);
    attempt();
  });
}

/** The row of one debug session (the process session js-debug starts under its launcher). */
function sessionElement(api: TasksViewApi, sessionId: string): SessionElement | undefined {
  return api
    .getChildren()
    .find(
      (element): element is SessionElement => element.kind === 'session' && element.session.id === sessionId,
    );
}

function children(api: TasksViewApi, element: TaskTreeElement): TaskTreeElement[] {
  return api.getChildren(element);
}

function groupLabelled(api: TasksViewApi, session: SessionElement, prefix: string): GroupElement | undefined {
  return children(api, session).find(
    (element): element is GroupElement => element.kind === 'group' && element.group.label.startsWith(prefix),
  );
}

async function launchDemo(extra: Record<string, unknown> = {}) {
  const stopped = waitForStop(
    (session) => session.type === 'pwa-node' && session.parentSession !== undefined,
  );
  const started = await vscode.debug.startDebugging(undefined, {
    type: 'node',
    request: 'launch',
    name: 'stuck requests',
    program: demoProgram,
    console: 'internalConsole',
    ...extra,
  });
  assert.equal(started, true);
  return stopped;
}

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

  it('injects the agent, snapshots on the stop and groups pending tasks by creation site', async () => {
    const { session } = await launchDemo();
    const element = await until(
      api,
      () => {
        const found = sessionElement(api, session.id);
        return found?.session.snapshot && !found.session.capturing ? found : undefined;
      },
      'a snapshot after the stop',
    );
    assert.equal(element.session.id, session.id, 'the view follows the process session, not the launcher');
    assert.equal(element.session.error, undefined);
    assert.equal(element.session.snapshot?.runtime, 'node');
    assert.equal(element.session.snapshot?.error, undefined, 'the agent was loaded');

    // 40 orders, then 20 at the first tick: 20 of the first 40 wait for the warehouse forever.
    const placeOrder = groupLabelled(api, element, 'async placeOrder — stuckRequests.js:29');
    assert.ok(
      placeOrder,
      `no placeOrder group in ${children(api, element)
        .map((child) => child.id)
        .join(', ')}`,
    );
    assert.ok(
      placeOrder.group.count >= 20 && placeOrder.group.count <= 60,
      `count ${placeOrder.group.count}`,
    );
    assert.equal(placeOrder.group.site?.file, demoProgram);
    assert.equal(placeOrder.group.site?.line, 29);

    const item = api.getTreeItem(placeOrder);
    assert.match(String(item.description), /^\d+ pending$/);
    assert.equal(item.command?.command, 'asyncToolkit.openTaskSite');

    const tasks = children(api, placeOrder);
    assert.ok(tasks.length > 0 && tasks.every((task) => task.kind === 'task'));
    const taskItem = api.getTreeItem(tasks[0]);
    assert.match(String(taskItem.description), /^PROMISE · pending · /);
    assert.match((taskItem.tooltip as vscode.MarkdownString).value, /Created at:[\s\S]*stuckRequests\.js:29/);

    const handles = children(api, element).find((child) => child.kind === 'handles');
    assert.ok(handles, 'the "keeping the program alive" section is there');
    const handleLabels = children(api, handles).map((handle) => String(api.getTreeItem(handle).label));
    assert.ok(
      handleLabels.some((label) => /TCPSERVERWRAP — server listening on 127\.0\.0\.1:\d+/.test(label)),
      handleLabels.join('\n'),
    );
  });

  it('opens the creation site of a group and reveals it in the view', async () => {
    const { session } = await launchDemo();
    const element = await until(
      api,
      () => {
        const found = sessionElement(api, session.id);
        return found?.session.snapshot ? found : undefined;
      },
      'a snapshot',
    );
    const placeOrder = groupLabelled(api, element, 'async placeOrder');
    assert.ok(placeOrder);
    const item = api.getTreeItem(placeOrder);
    await vscode.commands.executeCommand(item.command?.command as string, ...(item.command?.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, demoProgram);
    assert.equal(editor?.selection.active.line, 28, 'line 29, 1-based');
    await api.reveal(placeOrder);
  });

  it('shows the parent tree, filters by text, and compares with the previous snapshot', async () => {
    const { session } = await launchDemo();
    const first = await until(
      api,
      () => {
        const found = sessionElement(api, session.id);
        return found?.session.snapshot && !found.session.capturing ? found : undefined;
      },
      'a first snapshot',
    );
    const firstTakenAt = first.session.snapshot?.takenAt;

    await vscode.commands.executeCommand('asyncToolkit.showTaskTree');
    const roots = children(api, first).filter((child) => child.kind === 'task');
    assert.ok(roots.length > 0, 'tasks at the root of the parent tree');
    assert.ok(
      roots.some((root) => root.kind === 'task' && root.childCount > 0),
      'some task has children in the parent tree',
    );
    await vscode.commands.executeCommand('asyncToolkit.showTaskGroups');

    await vscode.commands.executeCommand('asyncToolkit.filterTasks', 'refreshPrices');
    const filtered = children(api, first).filter((child): child is GroupElement => child.kind === 'group');
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
    await until(
      api,
      () => (sessionElement(api, session.id)?.session.stale ? true : undefined),
      'the snapshot to go stale',
    );
    const second = await until(
      api,
      () => {
        const found = sessionElement(api, session.id);
        const snapshot = found?.session.snapshot;
        return snapshot &&
          snapshot.takenAt !== firstTakenAt &&
          found.session.status === 'paused' &&
          !found.session.stale
          ? found
          : undefined;
      },
      'a second snapshot',
    );
    await vscode.commands.executeCommand('asyncToolkit.compareTaskSnapshots');
    const grown = groupLabelled(api, second, 'async placeOrder');
    assert.ok(grown?.change, 'the group has a change since the previous snapshot');
    // Half of each tick's 20 new orders never finish: the group only grows.
    assert.ok(grown.change.delta > 0, `delta ${grown.change.delta}`);
    assert.match(String(api.getTreeItem(grown).description), /\+\d+ since \d\d:\d\d:\d\d/);
  });

  it('counts promises without creation sites when the agent is not loaded, and says how to load it', async () => {
    await vscode.workspace
      .getConfiguration('asyncToolkit')
      .update('node.injectAgent', false, vscode.ConfigurationTarget.Global);
    const { session } = await launchDemo();
    const element = await until(
      api,
      () => {
        const found = sessionElement(api, session.id);
        return found?.session.snapshot && !found.session.capturing ? found : undefined;
      },
      'a census snapshot',
    );
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

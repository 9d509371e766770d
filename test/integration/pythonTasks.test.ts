import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TasksViewApi } from '../../src/tasks/registerTasksView';
import type {
  FindingRow,
  FindingsRow,
  GroupRow,
  Row,
  SessionRow,
  TaskRow,
} from '../../src/tasks/rows/rowTypes';
import { python } from '../support/pythonInterpreter';
import { repositoryRoot } from '../support/repositoryRoot';
import { waitUntil } from '../support/waitUntil';
import { stopAllSessions, waitForStop } from './support/debugSessions';
import { nextSnapshotRow, sessionElement, tasksApi, until as untilChange } from './support/tasksView';

/** debugpy sessions start slower than js-debug's: wait a little longer for the view. */
const until = <T>(api: TasksViewApi, check: () => T | undefined, what: string) =>
  untilChange(api, check, what, 45_000);

// Real debugpy sessions (the test-only `debugpy` debugger type runs Debian's adapter) on real
// programs, stopped at breakpoint(); the assertions read the view's own elements and items through
// the extension's API. Types only from src/: the objects come from the extension's copy.
const pipeline = join(repositoryRoot, 'demo', 'python', 'order_pipeline.py');
const seedNursery = join(repositoryRoot, 'test', 'fixtures', 'python', 'trio_nursery.py');
const notAsync = join(repositoryRoot, 'test', 'fixtures', 'python', 'not_async.py');
const twoLoops = join(repositoryRoot, 'test', 'fixtures', 'python', 'asyncio_threads.py');
const trioDeadlock = join(repositoryRoot, 'test', 'fixtures', 'python', 'trio_deadlock.py');

/** 1-based line of the first line of `file` containing `text`. */
function lineOf(file: string, text: string): number {
  const index = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `no “${text}” in ${file}`);
  return index + 1;
}

/**
 * Launches a Python program under debugpy; resolves at its first stop with the view's settled row.
 * `type` is the launch configuration's: `debugpy`, or `python` as older launch.json files say.
 */
async function launchPython(program: string, type = 'debugpy') {
  const stopped = waitForStop((session) => session.type === type, 45_000);
  const started = await vscode.debug.startDebugging(undefined, {
    type,
    request: 'launch',
    name: `python ${program}`,
    program,
    python,
    console: 'internalConsole',
  });
  assert.equal(started, true);
  return stopped;
}

async function settledRow(api: TasksViewApi, sessionId: string, what: string): Promise<SessionRow> {
  return until(
    api,
    () => {
      const found = sessionElement(api, sessionId);
      return found && (found.session.snapshot || found.session.error) && !found.session.capturing
        ? found
        : undefined;
    },
    what,
  );
}

function groups(api: TasksViewApi, element: Row): GroupRow[] {
  return api.getChildren(element).filter((child): child is GroupRow => child.kind === 'group');
}

function tasks(api: TasksViewApi, element: Row): TaskRow[] {
  return api.getChildren(element).filter((child): child is TaskRow => child.kind === 'task');
}

function tooltipText(item: vscode.TreeItem): string {
  return typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
}

describe('Python tasks in the Async Tasks view', function () {
  this.timeout(120_000);
  let api: TasksViewApi;
  before(async () => {
    api = await tasksApi();
  });
  afterEach(async () => {
    await stopAllSessions();
    await vscode.commands.executeCommand('asyncToolkit.showTaskGroups');
  });

  it('groups the asyncio demo’s tasks by what they await, with their suspended lines', async () => {
    const { session } = await launchPython(pipeline);
    const row = await settledRow(api, session.id, 'a snapshot after the stop');
    assert.equal(row.session.error, undefined);
    assert.equal(row.session.snapshot?.runtime, 'asyncio');
    assert.equal(row.session.snapshot?.error, undefined);

    const byLabel = new Map(groups(api, row).map((group) => [group.group.label, group]));
    const labels = [...byLabel.keys()].join(' | ');
    // One fetcher holds the supplier lock while it sleeps; the other four queue behind it.
    assert.ok((byLabel.get('Lock.acquire()')?.group.count ?? 0) >= 3, labels);
    assert.equal(byLabel.get('Queue.get()')?.group.count, 3, labels);
    // A group's label leaves out what differs per gather; its task says how many are pending.
    const gathering = byLabel.get('asyncio.gather()');
    assert.equal(gathering?.group.count, 1, labels);
    assert.equal(tasks(api, gathering as GroupRow)[0]?.task.awaiting, 'asyncio.gather() — 2 of 2 pending');
    assert.equal(byLabel.get('loop.run_in_executor() — running in a worker thread')?.group.count, 1, labels);

    const packers = tasks(api, byLabel.get('Queue.get()') as GroupRow);
    assert.deepEqual(packers.map((task) => task.task.name).sort(), ['packer-0', 'packer-1', 'packer-2']);
    const item = api.getTreeItem(packers[0]);
    const packerLine = lineOf(pipeline, 'order, parts = await packing.get()');
    // Under its group, a task's row says where it waits, not again what: the group says Queue.get().
    assert.equal(item.description, `order_pipeline.py:${packerLine}`);
    assert.match(tooltipText(item), new RegExp(`Suspended at:[\\s\\S]*order_pipeline\\.py:${packerLine}`));
  });

  it('reads a launch of the older debug type `python` like a `debugpy` one', async () => {
    const { session } = await launchPython(pipeline, 'python');
    assert.equal(session.type, 'python');
    const row = await settledRow(api, session.id, 'a snapshot after the stop');
    assert.equal(row.session.error, undefined);
    assert.equal(row.session.snapshot?.runtime, 'asyncio');
    const labels = groups(api, row).map((group) => group.group.label);
    assert.ok(labels.includes('Queue.get()'), labels.join(' | '));
  });

  it('shows the parent tree: main → TaskGroup → every worker, and gather’s children under their task', async () => {
    const { session } = await launchPython(pipeline);
    const row = await settledRow(api, session.id, 'a snapshot');
    await vscode.commands.executeCommand('asyncToolkit.showTaskTree');
    const main = tasks(api, row).find((task) => task.task.name === 'Task-1');
    assert.ok(
      main,
      `roots: ${tasks(api, row)
        .map((task) => task.task.name)
        .join(', ')}`,
    );
    assert.equal(main.task.state, 'running', 'main is the task stopped at breakpoint()');
    const [group] = tasks(api, main);
    assert.equal(group?.task.type, 'TaskGroup');
    const workers = tasks(api, group).map((task) => task.task.name ?? '');
    assert.deepEqual(workers.sort(), [
      'fetcher-0',
      'fetcher-1',
      'fetcher-2',
      'fetcher-3',
      'fetcher-4',
      'nightly-report',
      'packer-0',
      'packer-1',
      'packer-2',
      'price-refresher',
    ]);
    const refresher = tasks(api, group).find((task) => task.task.name === 'price-refresher') as TaskRow;
    const lookups = tasks(api, refresher);
    assert.equal(lookups.length, 2);
    assert.deepEqual(lookups.map((task) => task.task.awaiting).sort(), [
      'asyncio.sleep(30)',
      'asyncio.sleep(45)',
    ]);
  });

  it('reveals a task in the view and opens the line it is suspended at', async () => {
    const { session } = await launchPython(pipeline);
    const row = await settledRow(api, session.id, 'a snapshot');
    const waiting = groups(api, row).find((group) => group.group.label === 'Lock.acquire()');
    assert.ok(waiting);
    const [task] = tasks(api, waiting);
    await api.reveal(task);
    const item = api.getTreeItem(task);
    assert.ok(item.command, 'selecting a Python task runs a command that opens where it is suspended');
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, pipeline);
    assert.equal(editor?.selection.active.line, lineOf(pipeline, 'async with lock:') - 1);
  });

  it('takes a new snapshot at the next stop and keeps the last one greyed while the program runs', async () => {
    const { session, threadId } = await launchPython(pipeline);
    const first = await settledRow(api, session.id, 'a first snapshot');
    const firstTakenAt = first.session.snapshot?.takenAt;
    await session.customRequest('continue', { threadId });
    const second = await nextSnapshotRow(
      api,
      session.id,
      firstTakenAt,
      'the snapshot of the next breakpoint()',
      {
        timeoutMs: 45_000,
      },
    );
    assert.equal(second.session.status, 'paused');
    assert.equal(second.session.error, undefined);
  });

  it('shows the seed’s trio nursery as parent → nursery → child1, child2 sleeping', async () => {
    const { session } = await launchPython(seedNursery);
    const row = await settledRow(api, session.id, 'a trio snapshot');
    assert.equal(row.session.error, undefined);
    assert.equal(row.session.snapshot?.runtime, 'trio');

    const sleeping = groups(api, row).find((group) => group.group.label === 'trio.sleep(1)');
    assert.equal(
      sleeping?.group.count,
      2,
      groups(api, row)
        .map((group) => group.group.label)
        .join(' | '),
    );

    await vscode.commands.executeCommand('asyncToolkit.showTaskTree');
    // trio's own <init> task and system nurseries are internal: hidden, so parent is the root.
    const parent = tasks(api, row).find((task) => task.task.name === '__main__.parent');
    assert.ok(
      parent,
      tasks(api, row)
        .map((task) => task.task.name)
        .join(', '),
    );
    const [nursery] = tasks(api, parent);
    assert.equal(nursery?.task.type, 'Nursery');
    const children = tasks(api, nursery);
    assert.deepEqual(children.map((child) => child.task.name).sort(), ['__main__.child1', '__main__.child2']);
    for (const child of children) {
      const item = api.getTreeItem(child);
      const name = child.task.name?.replace('__main__.', '') ?? '';
      const sleepLine = lineOf(seedNursery, `marker: ${name}-sleep`);
      assert.equal(item.description, `awaiting trio.sleep(1) · trio_nursery.py:${sleepLine}`);
      assert.match(tooltipText(item), new RegExp(`Suspended at:[\\s\\S]*trio_nursery\\.py:${sleepLine}`));
    }
  });

  it('shows the tasks of every loop when the program stops in a worker thread that runs none', async () => {
    const { session } = await launchPython(twoLoops);
    const row = await settledRow(api, session.id, 'a snapshot taken from the worker thread');
    assert.equal(row.session.error, undefined);
    const all = row.session.snapshot?.tasks ?? [];
    const byName = new Map(all.map((task) => [task.name, task]));
    assert.equal(byName.get('main-heartbeat')?.details?.thread, 'MainThread');
    assert.equal(byName.get('side-heartbeat-0')?.details?.thread, 'side-loop');
    assert.equal(byName.get('side-heartbeat-1')?.awaiting, 'asyncio.sleep(3600)');
    assert.equal(byName.get('Task-1')?.awaiting, 'loop.run_in_executor() — running in a worker thread');
  });

  it('shows a trio deadlock under Problems: both tasks, each holding the Lock the other wants', async () => {
    const settings = vscode.workspace.getConfiguration('asyncToolkit.tasks');
    await settings.update('showProblemsWhilePaused', true, vscode.ConfigurationTarget.Global);
    try {
      const { session } = await launchPython(trioDeadlock);
      const row = await settledRow(api, session.id, 'a trio snapshot');
      assert.equal(row.session.snapshot?.runtime, 'trio');
      const problems = api.getChildren(row).find((child): child is FindingsRow => child.kind === 'findings');
      assert.ok(problems, 'a Problems row at the top of the session');
      const [deadlock, ...others] = api.getChildren(problems) as FindingRow[];
      assert.deepEqual(
        others.map((other) => other.finding.message),
        [],
      );
      assert.equal(deadlock.finding.kind, 'lockCycle');
      const waits = lineOf(trioDeadlock, 'marker: waits for the other lock');
      assert.match(
        deadlock.finding.message,
        new RegExp(
          `^"(debit|credit)" \\(trio_deadlock\\.py:${waits}\\) waits for a Lock "(credit|debit)" holds, "(credit|debit)" \\(trio_deadlock\\.py:${waits}\\) waits for a Lock "(debit|credit)" holds: none can go on$`,
        ),
      );
      const members = tasks(api, deadlock).map((member) => member.task.name);
      assert.deepEqual([...members].sort(), ['credit', 'debit']);
      // The Problems panel lists it at the line where the first member waits.
      const diagnostics = await waitUntil(
        'the deadlock in the Problems panel',
        () => {
          const found = vscode.languages.getDiagnostics(vscode.Uri.file(trioDeadlock));
          return found.length ? found : undefined;
        },
        { timeoutMs: 20_000 },
      );
      assert.deepEqual(
        diagnostics.map((diagnostic) => [diagnostic.range.start.line + 1, diagnostic.message]),
        [[waits, deadlock.finding.message]],
      );
    } finally {
      await settings.update('showProblemsWhilePaused', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('says “Not an async program” for a program without an event loop', async () => {
    const { session } = await launchPython(notAsync);
    const row = await settledRow(api, session.id, 'a message');
    assert.match(row.session.error ?? '', /^Not an async program: /);
    const messages = api.getChildren(row).filter((child) => child.kind === 'message');
    assert.ok(
      messages.some((message) => message.kind === 'message' && /Not an async program/.test(message.text)),
    );
  });
});

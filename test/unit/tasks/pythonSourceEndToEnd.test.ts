import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import type { Snapshot } from '../../../src/snapshot/format';
import type { SnapshotRequest } from '../../../src/snapshot/request';
import { PythonSnapshotSource } from '../../../src/tasks/sources/python/pythonSource';
import type { CaptureContext } from '../../../src/tasks/sources/snapshotSource';
import { DebugpyClient } from '../../support/debugpyClient';
import {
  knownAsyncioProgram,
  python,
  pythonFixtures,
  repositoryRoot,
  trioImportError,
} from './pythonSourceInterpreter';

// The extension's own Python source (the class the view uses), against a real debugpy adapter and
// debuggee on the interpreter under test: launch, stop at breakpoint(), capture as the view does
// (load the probe, evaluate, read the parts, check the snapshot), and look at what the program
// printed. The python-versions layer runs these on every CPython from 3.9.
const probePath = join(repositoryRoot, 'python', 'async_toolkit_probe.py');

/** What the source needs of a VS Code debug session: its type, name and `customRequest`. */
function sessionOver(client: DebugpyClient, type = 'debugpy'): vscode.DebugSession {
  return {
    type,
    name: `test ${type} session`,
    customRequest: (command: string, args?: unknown) => client.request(command, args),
  } as unknown as vscode.DebugSession;
}

const quietLog = { info() {}, debug() {}, warn() {}, error() {} } as unknown as vscode.LogOutputChannel;

function source(): PythonSnapshotSource {
  return new PythonSnapshotSource({ probePath, log: quietLog });
}

/** What the capture scheduler asks for: `maxTasksPerGroup` comes from the setting, the rest from the view. */
function context(threadId: number, request: Partial<SnapshotRequest> = {}): CaptureContext {
  return { stoppedThreadId: threadId, timeoutMs: 60_000, request };
}

function markerLine(file: string, marker: string): number {
  const index = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((line) => new RegExp(`#\\s*marker:\\s*${marker}\\b`).test(line));
  assert.ok(index >= 0, `no marker ${marker} in ${file}`);
  return index + 1;
}

function groupLabels(snapshot: Snapshot): string[] {
  return (snapshot.groups ?? []).map((group) => group.label);
}

describe('Python source end to end through a real debugpy: launch, stop, capture as the view does', function () {
  this.timeout(120_000);
  let client: DebugpyClient | undefined;
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });

  it('groups the stopped asyncio program’s tasks by what they await, at their lines', async () => {
    client = DebugpyClient.start(python);
    const program = knownAsyncioProgram();
    const { threadId } = await client.launchUntilStopped(python, program);
    const snapshot = await source().capture(
      sessionOver(client),
      context(threadId, { maxTasksPerGroup: 100 }),
    );
    assert.equal(snapshot.runtime, 'asyncio');
    assert.equal(snapshot.error, undefined);
    const labels = groupLabels(snapshot);
    for (const label of [
      'Queue.get()',
      'Lock.acquire()',
      // A group's label leaves out what differs per gather (its counts); the task's text keeps them.
      'asyncio.gather()',
      'loop.run_in_executor() — running in a worker thread',
    ])
      assert.ok(labels.includes(label), `${label} not in ${labels.join(' | ')}`);
    assert.ok(
      snapshot.tasks.some((task) => task.awaiting === 'asyncio.gather() — 2 of 2 pending'),
      snapshot.tasks.map((task) => task.awaiting).join(' | '),
    );
    const consumer = snapshot.tasks.find((task) => task.name === 'consumer');
    assert.equal(consumer?.awaiting, 'Queue.get()');
    assert.deepEqual(
      consumer?.stack?.map((frame) => [frame.file, frame.line]),
      [[program, markerLine(program, 'consumer-get')]],
    );
    // debugpy stops on the line after breakpoint(): the stopped task is there, running.
    const main = snapshot.tasks.find((task) => task.state === 'running');
    assert.equal(main?.stack?.[0]?.line, markerLine(program, 'breakpoint') + 1);
  });

  it('sends the first tasks of a large group, and the next ones when the group is expanded', async () => {
    client = DebugpyClient.start(python);
    const program = join(pythonFixtures, 'many_tasks.py');
    const { threadId } = await client.launchUntilStopped(python, program, ['500']);
    const session = sessionOver(client, 'python');
    const first = await source().capture(
      session,
      context(threadId, { maxTasksPerGroup: 100, includeInternals: false, minAgeMs: 0 }),
    );
    const sleeping = first.groups?.find((group) => group.label === 'asyncio.sleep(3600)');
    assert.ok(sleeping, groupLabels(first).join(' | '));
    assert.equal(sleeping.id, 'awaiting:asyncio.sleep(3600)');
    assert.equal(sleeping.count, 500);
    assert.equal(sleeping.taskIds.length, 100);
    assert.deepEqual(first.truncated, { totalTasks: 501, sentTasks: 101 });
    // What the view sends when the group is expanded (CaptureScheduler.fetchMore).
    const more = await source().capture(
      session,
      context(threadId, {
        includeInternals: false,
        minAgeMs: 0,
        group: sleeping.id,
        offset: 100,
        limit: 100,
      }),
    );
    assert.deepEqual(
      more.groups?.map((group) => [group.id, group.count, group.taskIds.length]),
      [[sleeping.id, 500, 100]],
    );
    const firstIds = new Set(sleeping.taskIds);
    assert.ok(
      more.tasks.every((task) => !firstIds.has(task.id)),
      'the next page repeated tasks',
    );
    assert.deepEqual(
      more.tasks.map((task) => task.name),
      Array.from({ length: 100 }, (_, n) => `sleeper-${100 + n}`),
    );
  });

  it('reads a trio program’s nursery tree', async function () {
    const why = trioImportError();
    if (why) {
      // Debian's trio 0.22 does not import on 3.13: nothing to debug.
      this.skip();
    }
    client = DebugpyClient.start(python);
    const program = join(pythonFixtures, 'trio_nursery.py');
    const { threadId } = await client.launchUntilStopped(python, program);
    const snapshot = await source().capture(sessionOver(client), context(threadId));
    assert.equal(snapshot.runtime, 'trio');
    const sleeping = snapshot.groups?.find((group) => group.label === 'trio.sleep(1)');
    assert.equal(sleeping?.count, 2, groupLabels(snapshot).join(' | '));
    const nursery = snapshot.tasks.find((task) => task.type === 'Nursery');
    const children = snapshot.tasks.filter((task) => task.parentId === nursery?.id).map((task) => task.name);
    assert.deepEqual(children.sort(), ['__main__.child1', '__main__.child2']);
  });
});

describe('Python probe prints nothing under debugpy', function () {
  this.timeout(120_000);
  const program = join(pythonFixtures, 'prints_around_a_stop.py');

  /** Runs the program under debugpy to its end, doing `atTheStop` while it is stopped; returns its output. */
  async function outputOfARun(atTheStop: (client: DebugpyClient, threadId: number) => Promise<void>) {
    const client = DebugpyClient.start(python);
    try {
      const { threadId } = await client.launchUntilStopped(python, program);
      await atTheStop(client, threadId);
      const ended = client.waitForEvent('terminated');
      await client.request('continue', { threadId });
      await ended;
      // The last lines may trail the end of the process by a moment: wait for the program's last one.
      for (
        let waited = 0;
        !client.programOutput().stdout.includes('after the stop') && waited < 5_000;
        waited += 50
      )
        await new Promise((resolve) => setTimeout(resolve, 50));
      const { stdout, stderr } = client.programOutput();
      // pydevd's own start-up notes carry a time ("0.00s - …"): the same notes, whatever the time.
      const withoutTimes = (text: string) => text.replace(/^\d+\.\d+s - /gm, '');
      return { stdout: withoutTimes(stdout), stderr: withoutTimes(stderr) };
    } finally {
      await client.close();
    }
  }

  it('a stop with snapshots writes exactly what the same stop without them writes', async () => {
    const untouched = await outputOfARun(async () => {});
    let captured: Snapshot | undefined;
    const probed = await outputOfARun(async (client, threadId) => {
      const session = sessionOver(client);
      captured = await source().capture(session, context(threadId)); // loads the probe
      await source().capture(session, context(threadId, { groupBy: 'none', limit: 1000 }));
      await source().capture(
        session,
        context(threadId, { group: 'awaiting:asyncio.sleep(3600)', offset: 50 }),
      );
    });
    assert.match(probed.stdout, /before the stop[\s\S]*after the stop/);
    assert.doesNotMatch(probed.stderr, /PYDEV DEBUGGER WARNING/);
    assert.equal(probed.stdout, untouched.stdout);
    assert.equal(probed.stderr, untouched.stderr);
    // The snapshots were real: the probe ran and saw the program's tasks.
    assert.ok(captured?.tasks.length, 'no tasks captured');
  });
});

// Node operations in the real extension host, through js-debug: the programs of known structure the
// agent's unit tests run (test/fixtures/operations/), each launched and stopped at `debugger;`. The
// view's rows are asserted as VS Code renders them (labels and descriptions), and selecting a group,
// an operation and each of its frames opens the line the fixture marks with `// marker:`.
import * as assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { TasksViewApi } from '../../src/tasks/registerTasksView';
import type { GroupRow, Row, SessionRow } from '../../src/tasks/rows/rowTypes';
import { repositoryRoot } from '../support/repositoryRoot';
import { markerLine } from '../unit/agent/fixtureLines';
import { launchNodeStopped, requestWithTimeout, stopAllSessions, topFrameId } from './support/debugSessions';
import { snapshotRow, tasksApi } from './support/tasksView';

const programs = join(repositoryRoot, 'test', 'fixtures', 'operations');
const programFile = (name: string) => join(programs, `${name}.js`);

function launchStopped(name: string) {
  return launchNodeStopped(programFile(name), { env: { ASYNC_TOOLKIT_FIXTURE_DEBUGGER: '1' } });
}

/** The debuggee's Node major: timers, sockets and servers have records (and name waits) from 24 on. */
async function nodeMajor(session: vscode.DebugSession, threadId: number): Promise<number> {
  const frameId = await topFrameId(session, threadId);
  const { result } = await requestWithTimeout<{ result: string }>(session, 'evaluate', {
    expression: 'process.versions.node',
    frameId,
    context: 'repl',
  });
  return Number.parseInt(result.replace(/'/g, ''), 10);
}

function groupRows(api: TasksViewApi, session: SessionRow): GroupRow[] {
  return api.getChildren(session).filter((row): row is GroupRow => row.kind === 'group');
}

/** `2 × httpGet ← … · socket read from …`: the label and what the description says it waits on. */
function shownGroup(api: TasksViewApi, row: GroupRow): string {
  const item = api.getTreeItem(row);
  const waits = String(item.description).split(' · oldest ')[0];
  return `${String(item.label)} · ${waits}`;
}

/** Runs a row's command, as a click does, and returns where the editor is then. */
async function select(api: TasksViewApi, row: Row): Promise<string> {
  const { command } = api.getTreeItem(row);
  assert.ok(command, `row ${row.id} has no command`);
  await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
  const editor = vscode.window.activeTextEditor;
  return `${basename(editor?.document.uri.fsPath ?? '?')}:${(editor?.selection.active.line ?? -2) + 1}`;
}

const unresolved = 'new Promise — resolver not called yet';

/** What each program's view shows, on the debuggee's Node major. */
const expected: Record<string, (major: number, port: string) => string[]> = {
  jobQueue: (major, port) => [
    `2 × httpGet ← fetchJobData ← runJob ← worker · ${major >= 24 ? `socket read from 127.0.0.1:${port}` : unresolved}`,
    `1 × waitForApproval ← fetchJobData ← runJob ← worker · ${unresolved}`,
    `1 × worker · ${major >= 24 ? 'setTimeout 50 ms' : unresolved}`,
  ],
  nestedAll: () => ['1 × loadPage · Promise.all — 1 of 2 pending'],
  slowDatabase: (major) => [
    `2 × query ← handleRequest · ${major >= 24 ? 'setTimeout 60000 ms' : unresolved}`,
  ],
  resolverInMap: () => [`3 × waitForReply ← ask · ${unresolved}`],
  eventsOnce: () => ["1 × waitForStart · events.once(EventEmitter, 'start')"],
  forAwaitStream: () => ['1 × consume · stream read (for await)'],
  timerSleep: (major) => [
    `1 × napWithTimersPromises · ${major >= 24 ? 'setTimeout 5000 ms' : 'timers/promises setTimeout()'}`,
    `1 × sleep ← nap · ${major >= 24 ? 'setTimeout 5000 ms' : unresolved}`,
  ],
  asyncGenerator: () => [`1 × ticks ← countTicks · ${unresolved}`],
  rejectedOperation: () => [`1 × keepWaiting · ${unresolved}`],
  nodeMadePromise: () => ['1 × readConfig ← boot · fs/promises open()'],
};

describe('Node operations in the Async Tasks view, through js-debug', () => {
  let api: TasksViewApi;
  before(async () => {
    api = await tasksApi();
  });
  afterEach(async () => {
    await stopAllSessions();
  });

  for (const [name, rows] of Object.entries(expected)) {
    it(`${name}: each operation once, merged by stack, with what it waits on`, async () => {
      const { session, threadId } = await launchStopped(name);
      const major = await nodeMajor(session, threadId);
      const row = await snapshotRow(api, session.id, `a snapshot of ${name}`);
      assert.equal(row.session.snapshot?.error, undefined);
      const handle = row.session.snapshot?.handles?.find((found) => found.type === 'TCPSERVERWRAP');
      const port = /:(\d+)$/.exec(handle?.description ?? '')?.[1] ?? '?';
      assert.deepEqual(
        groupRows(api, row).map((group) => shownGroup(api, group)),
        rows(major, port),
      );
      for (const group of groupRows(api, row)) {
        for (const task of api.getChildren(group)) {
          assert.equal(task.kind, 'task');
          // An operation's row: its age, how long at this wait, where; its group already says on what.
          assert.match(
            String(api.getTreeItem(task).description),
            /^\d[^·]* · (waiting [^·]+ · )?\w+\.js:\d+$/,
          );
        }
      }
    });
  }

  it('job queue: selecting a group, an operation and each frame opens its line', async () => {
    const { session } = await launchStopped('jobQueue');
    const row = await snapshotRow(api, session.id, 'a snapshot of the job queue');
    const line = (marker: string) => `jobQueue.js:${markerLine(programFile('jobQueue'), marker)}`;
    const [requests, approval] = groupRows(api, row);
    assert.equal(await select(api, approval), line('waitForApproval'), 'a group opens its innermost frame');
    const [operation] = api.getChildren(requests);
    assert.equal(await select(api, operation), line('httpGet'), 'an operation opens where it waits');
    const frames = api.getChildren(operation);
    // Where it waits, then who started it (the listen callback's loop, an anonymous function).
    assert.deepEqual(
      frames.map((frame) => String(api.getTreeItem(frame).label)),
      ['httpGet', 'fetchJobData', 'runJob', 'worker', 'jobQueue.js'],
    );
    assert.match(String(api.getTreeItem(frames[4]).description), /^started it · jobQueue\.js:\d+$/);
    const opened: string[] = [];
    for (const frame of frames) opened.push(await select(api, frame));
    assert.deepEqual(opened, [
      line('httpGet'),
      line('fetchJobData-get'),
      line('runJob'),
      line('worker-job'),
      line('start-workers'),
    ]);
  });
});

// Node operations on a real framework in the real extension host, through js-debug: an express server
// (test/fixtures/frameworks/expressServer.js) whose order handlers hang on a lost driver callback and
// whose stock handler waits on `fetch` to an upstream that never answers, stopped at `debugger;`. Each
// request is one operation, the handler's chain is its stack, the fetch says its URL and phase, and
// selecting an operation or a frame opens the program's own line, never one inside `node_modules`. Then
// a generic-pool program and a p-queue program: waits in `pool.acquire()` and `queue.add()` read their
// pool's and queue's state, and each wait's row says its place in line. A stalled stream/promises
// pipeline and ws peers waiting on `events.once` say what they wait on. A worker thread's pending calls
// are captured at the main thread's stop.
import * as assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { TasksViewApi } from '../../src/tasks/registerTasksView';
import type { GroupRow, Row, SessionRow } from '../../src/tasks/rows/rowTypes';
import { repositoryRoot } from '../support/repositoryRoot';
import { markerLine } from '../unit/agent/fixtureLines';
import { launchNodeStopped, stopAllSessions } from './support/debugSessions';
import { snapshotRow, tasksApi, until } from './support/tasksView';

const frameworks = join(repositoryRoot, 'test', 'fixtures', 'frameworks');
const program = join(frameworks, 'expressServer.js');
const line = (marker: string) => `expressServer.js:${markerLine(program, marker)}`;

/** Runs a row's command, as a click does, and returns the file and line the editor shows then. */
async function select(api: TasksViewApi, row: Row): Promise<string> {
  const { command } = api.getTreeItem(row);
  assert.ok(command, `row ${row.id} has no command`);
  await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
  const editor = vscode.window.activeTextEditor;
  return `${basename(editor?.document.uri.fsPath ?? '?')}:${(editor?.selection.active.line ?? -2) + 1}`;
}

/** `2 × query ← … · new Promise — …`: a group's label and what its description says it waits on. */
function shownGroup(api: TasksViewApi, row: GroupRow): string {
  const item = api.getTreeItem(row);
  return `${String(item.label)} · ${String(item.description).split(' · oldest ')[0]}`;
}

describe('Node operations on real libraries in the Async Tasks view, through js-debug', () => {
  let api: TasksViewApi;
  before(async () => {
    api = await tasksApi();
  });
  afterEach(async () => {
    await stopAllSessions();
  });

  it('each request once, the handler’s chain, the fetch’s URL and phase, the program’s own lines', async () => {
    const { session } = await launchNodeStopped(program, { env: { ASYNC_TOOLKIT_FIXTURE_DEBUGGER: '1' } });
    const row = await snapshotRow(api, session.id, 'a snapshot of the express server');
    assert.equal(row.session.snapshot?.error, undefined);
    const groups = api.getChildren(row).filter((found): found is GroupRow => found.kind === 'group');
    const shown = groups.map((group) => shownGroup(api, group));
    assert.equal(shown.length, 2, shown.join('\n'));
    assert.equal(
      shown[0],
      `2 × query ← getOrder ← (anonymous) ${line('order-route')} · new Promise — resolver not called yet`,
    );
    const stockRoute = line('stock-route').replace('.', '\\.');
    assert.match(
      shown[1],
      new RegExp(
        `^1 × checkStock ← \\(anonymous\\) ${stockRoute} · fetch GET http://127\\.0\\.0\\.1:\\d+/stock/7 — waiting for response headers$`,
      ),
    );
    const [orders, stock] = groups;
    assert.equal(api.getChildren(orders).length, 2, 'each order request once');
    assert.equal(api.getChildren(stock).length, 1, 'the stock request once');

    const [order] = api.getChildren(orders);
    assert.equal(await select(api, order), line('query'), 'an operation opens where it waits');
    // The handler's chain, innermost first; each of its frames opens the program's line.
    const frames = api.getChildren(order);
    const labels = frames.map((frame) => String(api.getTreeItem(frame).label));
    // The view names an anonymous function (the route handler) by its file.
    assert.deepEqual(labels.slice(0, 3), ['query', 'getOrder', 'expressServer.js'], labels.join(', '));
    const opened: string[] = [];
    for (const frame of frames.slice(0, 3)) opened.push(await select(api, frame));
    assert.deepEqual(opened, [line('query'), line('getOrder'), line('order-route')]);

    // What keeps the server alive ties each hanging request's socket to its route.
    const handles = api.getChildren(row).find((found) => found.kind === 'handles');
    assert.ok(handles, 'the "keeping the program alive" section is there');
    const serving = api
      .getChildren(handles)
      .map((handle) => / · serving (GET \/\S+)$/.exec(String(api.getTreeItem(handle).label))?.[1])
      .filter((request) => request !== undefined);
    // The app's three requests, and the silent upstream's one (the fetch of /stock/7).
    assert.deepEqual(serving.sort(), ['GET /order/1', 'GET /order/2', 'GET /stock/7', 'GET /stock/7']);

    const [check] = api.getChildren(stock);
    assert.equal(await select(api, check), line('checkStock'), 'the fetch opens the program’s line');
    assert.equal(await select(api, stock), line('checkStock'), 'so does its group');
  });

  it('waits in a pool and a queue read their state, and each says its place in line', async () => {
    // generic-pool: two pools (2 connections, 1 cache client), each full, with requests waiting.
    const poolProgram = join(frameworks, 'genericPool.js');
    const poolLine = (marker: string) => `genericPool.js:${markerLine(poolProgram, marker)}`;
    const { session } = await launchNodeStopped(poolProgram, {
      env: { ASYNC_TOOLKIT_FIXTURE_DEBUGGER: '1' },
    });
    const row = await snapshotRow(api, session.id, 'a snapshot of the pools');
    const groups = api.getChildren(row).filter((found): found is GroupRow => found.kind === 'group');
    const acquiring = groups.filter((group) => shownGroup(api, group).includes('pool.acquire()'));
    assert.deepEqual(acquiring.map((group) => shownGroup(api, group)).sort(), [
      '1 × readCache · pool.acquire() — 1 of 1 in use, 1 waiting',
      '2 × runQuery · pool.acquire() — 2 of 2 in use, 2 waiting',
    ]);
    const runQueries = acquiring.find((group) => shownGroup(api, group).startsWith('2 × runQuery'));
    assert.ok(runQueries);
    const waits = api.getChildren(runQueries);
    // Each row says where it is in the pool's line and opens the program's line, not the pool's.
    const places = waits.map(
      (wait) => /(\d of \d) in line/.exec(String(api.getTreeItem(wait).description))?.[1],
    );
    assert.deepEqual(
      places.sort(),
      ['1 of 2', '2 of 2'],
      waits.map((w) => String(api.getTreeItem(w).description)).join('\n'),
    );
    for (const wait of waits) assert.equal(await select(api, wait), poolLine('runQuery-acquire'));
    await stopAllSessions();

    // p-queue (an ES module): one busy queue, two jobs running and two callers queued.
    const queueProgram = join(frameworks, 'pQueue.mjs');
    const queued = await launchNodeStopped(queueProgram, { env: { ASYNC_TOOLKIT_FIXTURE_DEBUGGER: '1' } });
    const queueRow = await snapshotRow(api, queued.session.id, 'a snapshot of the queue');
    const queueGroups = api
      .getChildren(queueRow)
      .filter((found): found is GroupRow => found.kind === 'group')
      .map((group) => shownGroup(api, group));
    assert.ok(
      queueGroups.includes('2 × generateReport · p-queue — queued, 2 of 2 running, 2 waiting'),
      queueGroups.join('\n'),
    );
  });

  it('a stalled pipeline says which stage stops it, and events.once waits name their sockets', async () => {
    // stream/promises: the Writable at the end stopped calling back after its fourth chunk.
    const pipelineProgram = join(frameworks, 'pipelineStall.js');
    const stalled = await launchNodeStopped(pipelineProgram, {
      env: { ASYNC_TOOLKIT_FIXTURE_DEBUGGER: '1' },
    });
    const pipelineRow = await snapshotRow(api, stalled.session.id, 'a snapshot of the stalled pipeline');
    const pipelineGroups = api
      .getChildren(pipelineRow)
      .filter((found): found is GroupRow => found.kind === 'group');
    assert.deepEqual(
      pipelineGroups.map((group) => shownGroup(api, group)),
      [
        '1 × exportRows · stream/promises pipeline() — stage 3 of 3 (Writable) has not called back on a write; 1 chunk waits in it, 16 before it',
      ],
    );
    const [exporting] = api.getChildren(pipelineGroups[0]);
    assert.equal(
      await select(api, exporting),
      `pipelineStall.js:${markerLine(pipelineProgram, 'exportRows')}`,
      'the wait opens the program’s line, not Node’s pipeline',
    );
    await stopAllSessions();

    // ws: two peers that never send; the handler of each waits on events.once(socket, 'message').
    const peersProgram = join(frameworks, 'wsPeers.js');
    const peers = await launchNodeStopped(peersProgram, { env: { ASYNC_TOOLKIT_FIXTURE_DEBUGGER: '1' } });
    const peersRow = await snapshotRow(api, peers.session.id, 'a snapshot of the ws server');
    const peerGroups = api
      .getChildren(peersRow)
      .filter((found): found is GroupRow => found.kind === 'group')
      .map((group) => shownGroup(api, group));
    assert.equal(peerGroups.length, 1, peerGroups.join('\n'));
    assert.match(
      peerGroups[0],
      /^2 × greet · events\.once\(WebSocket, 'message'\) — 2 sockets, from 127\.0\.0\.1:\d+ and 127\.0\.0\.1:\d+$/,
    );
  });

  it('ioredis workers say which command they wait on, and that the second waits behind the first', async () => {
    const redisProgram = join(frameworks, 'redisJobs.js');
    const { session } = await launchNodeStopped(redisProgram, {
      env: { ASYNC_TOOLKIT_FIXTURE_DEBUGGER: '1' },
    });
    const row = await snapshotRow(api, session.id, 'a snapshot of the job workers');
    const groups = api.getChildren(row).filter((found): found is GroupRow => found.kind === 'group');
    const workers = groups.find((group) => shownGroup(api, group).startsWith('2 × nextJob ← work'));
    assert.ok(workers, groups.map((group) => shownGroup(api, group)).join('\n'));
    assert.match(
      shownGroup(api, workers),
      /^2 × nextJob ← work · redis BLPOP jobs — sent to 127\.0\.0\.1:\d+$/,
    );
    const waits = api.getChildren(workers).map((wait) => {
      const { tooltip } = api.getTreeItem(wait);
      return typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '');
    });
    assert.ok(
      waits.some((text) =>
        // Markdown: the tooltip escapes the parentheses that follow.
        text.includes('waiting behind BLPOP jobs on its connection'),
      ),
      waits.join('\n'),
    );
    const [first] = api.getChildren(workers);
    assert.equal(await select(api, first), `redisJobs.js:${markerLine(redisProgram, 'nextJob')}`);
  });

  it('a worker thread’s pending calls are captured when the main thread stops, under its session', async () => {
    const rpcProgram = join(frameworks, 'workerRpc.js');
    const workerScript = join(frameworks, 'workers', 'rpcWorker.js');
    const workerLine = (marker: string) => `rpcWorker.js:${markerLine(workerScript, marker)}`;
    const { session } = await launchNodeStopped(rpcProgram, { env: { ASYNC_TOOLKIT_FIXTURE_DEBUGGER: '1' } });
    const mainRow = await snapshotRow(api, session.id, 'a snapshot of the main thread');
    const mainGroups = api
      .getChildren(mainRow)
      .filter((found): found is GroupRow => found.kind === 'group')
      .map((group) => shownGroup(api, group));
    assert.deepEqual(mainGroups, [`1 × callWorker ← double ← main · new Promise — resolver not called yet`]);
    // The worker runs on while the main thread is stopped; its session, under the main thread's, has
    // a snapshot of its own taken at the same stop, without a refresh: the answer to message 4 hangs.
    const workerRow = await until(
      api,
      () =>
        api
          .getChildren(mainRow)
          .find(
            (found): found is SessionRow =>
              found.kind === 'session' && found.session.snapshot !== undefined && !found.session.capturing,
          ),
      'a snapshot of the worker thread',
    );
    assert.equal(workerRow.session.status, 'running');
    const workerGroups = api
      .getChildren(workerRow)
      .filter((found): found is GroupRow => found.kind === 'group');
    assert.deepEqual(
      workerGroups.map((group) => shownGroup(api, group)),
      ['1 × loadFromCache ← answer · new Promise — resolver not called yet'],
    );
    const [hanging] = api.getChildren(workerGroups[0]);
    assert.equal(await select(api, hanging), workerLine('loadFromCache'));
    const opened: string[] = [];
    for (const frame of api.getChildren(hanging).slice(0, 2)) opened.push(await select(api, frame));
    assert.deepEqual(opened, [workerLine('loadFromCache'), workerLine('answer')], 'the worker’s own lines');
  });
});

// Operations on real frameworks and libraries from the npm registry (express, fastify, undici's fetch,
// p-queue, p-limit, generic-pool, ws, ioredis, pg, axios, stream pipelines, readline, worker threads): programs of
// test/fixtures/frameworks/ with known waits in flight at marked lines, on Node 20 and 24, run plainly
// and under the debugger state js-debug creates. Each in-flight operation is listed once, with its
// stack through its waiting line and the chain of the program's functions, its awaiting text, and no
// library frame taken for the program's: library frames say `origin: "library"`.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import type { Snapshot, StackFrame, Task } from '../../../src/snapshot/format';
import { markerLine } from './fixtureLines';
import { nodeBinary } from './nodeVersions';
import { fixturesDir, lastJson, type RunResult, repositoryRoot, runFixture } from './runWithAgent';
import { runUnderDebugger } from './underDebugger';

const frameworksDir = join(fixturesDir, '..', 'frameworks');
const validate = new Ajv({ allErrors: true }).compile(
  JSON.parse(readFileSync(join(repositoryRoot, 'src', 'snapshot', 'snapshot.schema.json'), 'utf8')),
);

/** `query:12` for the program's frames, `[library] add` for a library's, `[runtime] once` for Node's. */
function frameText(frame: StackFrame): string {
  if (frame.origin) return `[${frame.origin}] ${frame.functionName ?? '(anonymous)'}`;
  return `${frame.functionName ?? '(anonymous)'}:${frame.line}`;
}

/** The program's frames of an operation, innermost first: the chain of its functions at their lines. */
const ownChain = (task: Task) => (task.stack ?? []).filter((frame) => !frame.origin).map(frameText);

const groupsOf = (snapshot: Snapshot) =>
  (snapshot.groups ?? []).map((group) => `${group.count} × ${group.label} · ${group.awaiting}`);

type Runner = (fixture: string, node: string) => Promise<RunResult>;

const runners: [string, Runner][] = [
  ['plain', (fixture, node) => runFixture(fixture, { node })],
  ['under the debugger state js-debug creates', (fixture, node) => runUnderDebugger(fixture, { node })],
];

/** The snapshot a fixture printed last, checked as every one here, and the lines it printed before. */
async function runOperations(
  run: Runner,
  program: string,
  node: string,
): Promise<{ snapshot: Snapshot; printed: string[] }> {
  const file = join(frameworksDir, program);
  const result = await run(file, node);
  assert.equal(result.stderr.trim(), '', 'the program wrote nothing to stderr');
  const snapshot = lastJson<Snapshot>(result);
  const printed = result.stdout.trim().split('\n').slice(0, -1);
  assert.equal(validate(snapshot), true, JSON.stringify(validate.errors));
  for (const task of snapshot.tasks) {
    assert.equal(task.type, 'Operation');
    assert.equal(task.stackKind, 'suspended');
    for (const frame of task.stack ?? []) {
      const inLibrary = /[\\/]node_modules[\\/]/.test(frame.file);
      if (inLibrary) assert.equal(frame.origin, 'library', `a library frame: ${JSON.stringify(frame)}`);
      if (!frame.origin) assert.equal(frame.file, file, `the program's frame: ${JSON.stringify(frame)}`);
    }
    // The view opens the innermost frame of the program's own code, never a library's.
    const own = task.stack?.find((frame) => !frame.origin);
    assert.deepEqual(task.site && [task.site.file, task.site.line], own && [own.file, own.line]);
    assert.ok(task.ageMs !== undefined && task.waitingMs !== undefined, 'ages are known');
  }
  assert.equal(snapshot.notes, undefined, 'every operation has an exact stack');
  return { snapshot, printed };
}

async function operationsOf(run: Runner, program: string, node: string): Promise<Snapshot> {
  return (await runOperations(run, program, node)).snapshot;
}

/** What a fixture printed before its snapshot after `prefix`, words apart (`client 127.0.0.1:5301`). */
function printedAfter(printed: readonly string[], prefix: string): string[] {
  const line = printed.find((item) => item.startsWith(`${prefix} `));
  assert.ok(line, `the program printed its ${prefix}: ${printed.join('\n')}`);
  return line.slice(prefix.length + 1).split(' ');
}

for (const major of [20, 24]) {
  describe(`Node agent: operations on real frameworks, Node ${major}`, function () {
    this.timeout(60_000);
    let node = '';
    before(function () {
      this.timeout(180_000);
      node = nodeBinary(major);
    });
    it('1 000 express requests in flight past the capture budget: one row each, most exact', async function () {
      this.timeout(120_000);
      const program = join(frameworksDir, 'loadedExpress.js');
      for (const run of [runFixture, runUnderDebugger]) {
        const result = await run(program, { node, args: ['1000', '1'] });
        assert.equal(result.stderr.trim(), '', 'the program wrote nothing to stderr');
        const { operations, exact } = lastJson<{ operations: number; exact: number }>(result);
        // A request past the budget is one row, not its socket callback's promises and its jobs' apart
        // (CreationRecord.continues: on Node 24 that was 1 130–1 141 rows); the budget running out cuts
        // between requests, not through one (15–26 were two rows before), and a request begun past the
        // budget whose wait got a stack later is that one row (flowContinuations.ts).
        assert.equal(operations, 1000, `${operations} rows for 1 000 requests`);
        // 2 000 stacks at once (about six a request), 2 000 a second after while requests arrive: at least
        // the burst's share get one at their wait, whatever the machine's speed (before the budget was
        // split, Node 24's sockets and timers took it: 28 of 1 000).
        assert.ok(exact >= 300, `${exact} of ${operations} exact`);
      }
    });

    for (const [mode, run] of runners) {
      describe(mode, () => {
        const at = (program: string, marker: string) => markerLine(`frameworks/${program}`, marker);

        it('express: two orders on a lost driver callback, one fetch to a silent upstream', async () => {
          const program = 'expressServer.js';
          const line = (marker: string) => at(program, marker);
          const snapshot = await operationsOf(run, program, node);
          // Node 24+ has records of sockets: the one fetch's dispatcher connects is the upstream's.
          const ports = (snapshot.handles ?? []).map((handle) => /:(\d+)$/.exec(handle.description)?.[1]);
          const groups = groupsOf(snapshot);
          // The URL and phase from undici's diagnostics channels (fetchRequests.ts), the upstream's port.
          const fetchWait =
            / · fetch GET http:\/\/127\.0\.0\.1:(\d+)\/stock\/7 — waiting for response headers$/.exec(
              groups[1] ?? '',
            );
          assert.ok(fetchWait !== null, groups[1]);
          if (major >= 24) assert.ok(ports.includes(fetchWait[1]), `a server's port: ${groups[1]}`);
          groups[1] = groups[1].replace(
            fetchWait[0],
            ' · fetch GET …/stock/7 — waiting for response headers',
          );
          assert.deepEqual(groups, [
            '2 × query ← getOrder ← (anonymous) expressServer.js:' +
              `${line('order-route')} · new Promise — resolver not called yet`,
            `1 × checkStock ← (anonymous) expressServer.js:${line('stock-route')} · fetch GET …/stock/7 — waiting for response headers`,
          ]);
          const [order, , stock] = snapshot.tasks;
          assert.deepEqual(ownChain(order), [
            `query:${line('query')}`,
            `getOrder:${line('getOrder')}`,
            `(anonymous):${line('order-route')}`,
          ]);
          assert.deepEqual(ownChain(stock), [
            `checkStock:${line('checkStock')}`,
            `(anonymous):${line('stock-route')}`,
          ]);
          assert.equal(stock.name, 'checkStock');
          // Each request's socket says which request its server has not answered yet: the route.
          const serving = (snapshot.handles ?? [])
            .map((handle) => / · serving (.+)$/.exec(handle.description)?.[1])
            .filter((request) => request !== undefined);
          // The app's three requests, and the silent upstream's one (the fetch of /stock/7).
          assert.deepEqual(serving.sort(), ['GET /order/1', 'GET /order/2', 'GET /stock/7', 'GET /stock/7']);
        });

        it('fetch: the URL while waiting for headers, the body method while reading the body', async () => {
          const program = 'fetchPhases.js';
          const snapshot = await operationsOf(run, program, node);
          const texts = snapshot.tasks.map((task) => `${task.name} · ${task.awaiting}`);
          assert.equal(texts.length, 2, texts.join('\n'));
          assert.match(
            texts[0],
            /^checkStock · fetch GET http:\/\/127\.0\.0\.1:\d+\/stock\/7 — waiting for response headers$/,
          );
          assert.equal(texts[1], 'downloadReport · fetch response.text() — reading the body');
          assert.deepEqual(snapshot.tasks.map(ownChain), [
            [`checkStock:${at(program, 'checkStock')}`],
            [`downloadReport:${at(program, 'downloadReport')}`],
          ]);
        });

        it('fastify: handlers behind an async onRequest hook start at the handler', async () => {
          const program = 'fastifyServer.js';
          const line = (marker: string) => at(program, marker);
          const snapshot = await operationsOf(run, program, node);
          assert.deepEqual(groupsOf(snapshot), [
            `2 × reserveStock ← placeOrder ← (anonymous) fastifyServer.js:${line('order-route')} · new Promise — resolver not called yet`,
          ]);
          for (const task of snapshot.tasks) {
            assert.deepEqual(ownChain(task), [
              `reserveStock:${line('reserveStock')}`,
              `placeOrder:${line('placeOrder')}`,
              `(anonymous):${line('order-route')}`,
            ]);
          }
        });

        it('p-queue: two jobs running inside, each one operation with its caller; two queued', async () => {
          const program = 'pQueue.mjs';
          const line = (marker: string) => at(program, marker);
          const snapshot = await operationsOf(run, program, node);
          assert.deepEqual(groupsOf(snapshot), [
            // The queue's own state (`#pending` of `#concurrency`, its waiting jobs), read from the one
            // busy queue; both callers are queued, as many as the jobs waiting in it.
            '2 × generateReport · p-queue — queued, 2 of 2 running, 2 waiting',
            `2 × render ← buildReport ← (anonymous) pQueue.mjs:${line('generateReport')} ← generateReport · new Promise — resolver not called yet`,
          ]);
          const queued = snapshot.tasks.filter((task) => task.awaiting?.startsWith('p-queue'));
          for (const task of queued) {
            assert.deepEqual(task.stack?.map(frameText), [
              '[library] add',
              `generateReport:${line('generateReport')}`,
            ]);
          }
          // Equal priorities: the queue serves them in the order they were added (ids follow creation).
          const byCreation = [...queued].sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
          assert.deepEqual(
            byCreation.map((task) => task.details?.placeInLine),
            ['1 of 2', '2 of 2'],
          );
          const running = snapshot.tasks.filter((task) => !task.awaiting?.startsWith('p-queue'));
          for (const task of running) {
            assert.deepEqual(ownChain(task), [
              `render:${line('render')}`,
              `buildReport:${line('buildReport')}`,
              `(anonymous):${line('generateReport')}`,
              `generateReport:${line('generateReport')}`,
            ]);
          }
        });

        it('p-queue: a job started later, when another finished, continues its caller, the first of those pending', async () => {
          const program = 'pQueueLater.mjs';
          const line = (marker: string) => at(program, marker);
          const snapshot = await operationsOf(run, program, node);
          // Three callers still wait in add(); the queue runs one job (started from a microtask, nothing
          // of its caller on its stack) and holds two: the earliest pending caller is the one it runs for.
          assert.deepEqual(groupsOf(snapshot), [
            '2 × requestExport · p-queue — queued, 1 of 1 running, 2 waiting',
            `1 × upload ← exportFile ← (anonymous) pQueueLater.mjs:${line('requestExport')} ← requestExport · new Promise — resolver not called yet`,
          ]);
          const queued = snapshot.tasks.filter((task) => task.awaiting?.startsWith('p-queue'));
          const byCreation = [...queued].sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
          assert.deepEqual(
            byCreation.map((task) => task.details?.placeInLine),
            ['1 of 2', '2 of 2'],
          );
          const [job] = snapshot.tasks.filter((task) => !task.awaiting?.startsWith('p-queue'));
          assert.deepEqual(ownChain(job), [
            `upload:${line('upload')}`,
            `exportFile:${line('exportFile')}`,
            `(anonymous):${line('requestExport')}`,
            `requestExport:${line('requestExport')}`,
          ]);
          // Its age is the caller's (since add() was called); its wait is the job's own.
          assert.ok((job.ageMs ?? 0) >= (job.waitingMs ?? 0), `${job.ageMs} vs ${job.waitingMs}`);
          assert.ok((job.ageMs ?? 0) >= (byCreation[0].ageMs ?? 0) - 5);
        });

        it('p-queue: two jobs started later each continue their own caller, in the order of the add() calls', async () => {
          const program = 'pQueueLaterTwo.mjs';
          const line = (marker: string) => at(program, marker);
          const snapshot = await operationsOf(run, program, node);
          assert.deepEqual(groupsOf(snapshot), [
            `1 × hang ← exportFile ← (anonymous) pQueueLaterTwo.mjs:${line('requestExport')} ← requestExport · new Promise — resolver not called yet`,
            `1 × hang ← makeThumbnail ← (anonymous) pQueueLaterTwo.mjs:${line('requestThumbnail')} ← requestThumbnail · new Promise — resolver not called yet`,
            '1 × requestReport · p-queue — queued, 2 of 2 running, 1 waiting',
          ]);
          const [report] = snapshot.tasks.filter((task) => task.name === 'requestReport');
          assert.equal(report.details?.placeInLine, '1 of 1');
        });

        it('p-queue: with two busy queues no queue is claimed for a wait; the stacks count per call site', async () => {
          const program = 'pQueues.mjs';
          const snapshot = await operationsOf(run, program, node);
          const waits = snapshot.tasks.filter((task) => task.awaiting?.startsWith('p-queue'));
          // Counted from the stacks per call site: each queue filled from its own line.
          assert.deepEqual(waits.map((task) => `${task.name} · ${task.awaiting}`).sort(), [
            'makeThumbnail · p-queue — queued, 1 running, 1 waiting',
            'sendMail · p-queue — queued, 1 running, 1 waiting',
          ]);
        });

        it('generic-pool: waits in pool.acquire() read their own pool: in use, waiting, place in line', async () => {
          const program = 'genericPool.js';
          const line = (marker: string) => at(program, marker);
          const snapshot = await operationsOf(run, program, node);
          assert.deepEqual(groupsOf(snapshot).sort(), [
            '1 × readCache · pool.acquire() — 1 of 1 in use, 1 waiting',
            '1 × sendQuery ← readCache · new Promise — resolver not called yet',
            '2 × runQuery · pool.acquire() — 2 of 2 in use, 2 waiting',
            '2 × sendQuery ← runQuery · new Promise — resolver not called yet',
          ]);
          const byName = (name: string, awaiting: string) =>
            snapshot.tasks.filter((task) => task.name === name && task.awaiting?.startsWith(awaiting));
          const waiting = byName('runQuery', 'pool.acquire()');
          // In the order the pool serves them, which is the order they asked in.
          assert.deepEqual(waiting.map((task) => task.details?.placeInLine).sort(), ['1 of 2', '2 of 2']);
          for (const task of waiting) {
            assert.deepEqual(ownChain(task), [`runQuery:${line('runQuery-acquire')}`]);
            assert.equal(task.stack?.[0].origin, 'library');
          }
          const [cacheWait] = byName('readCache', 'pool.acquire()');
          assert.deepEqual(ownChain(cacheWait), [`readCache:${line('readCache-acquire')}`]);
          assert.equal(cacheWait.details?.placeInLine, '1 of 1');
          for (const borrower of byName('runQuery', 'new Promise'))
            assert.deepEqual(ownChain(borrower), [
              `sendQuery:${line('sendQuery')}`,
              `runQuery:${line('runQuery-send')}`,
            ]);
        });

        it('p-limit at module top level: running jobs are their Promise.all elements, not operations', async () => {
          const program = 'pLimit.mjs';
          const line = (marker: string) => at(program, marker);
          const snapshot = await operationsOf(run, program, node);
          // One operation: the caller's `Promise.all` of four (the module's evaluation promise is no
          // element), whose two running elements wait where their jobs wait.
          assert.deepEqual(groupsOf(snapshot), [`1 × thumbnails · Promise.all — 4 of 4 pending`]);
          const [thumbnails] = snapshot.tasks;
          assert.deepEqual(ownChain(thumbnails), [`thumbnails:${line('thumbnails')}`]);
          const running = `resize — pLimit.mjs:${line('resize')}: new Promise — resolver not called yet (its job runs)`;
          const queued = `(anonymous) — pLimit.mjs:${line('thumbnails')}: p-limit`;
          assert.deepEqual(thumbnails.details, {
            'element 0': running,
            'element 1': running,
            'element 2': queued,
            'element 3': queued,
          });
        });

        it('p-limit inside promise jobs: each job continues its caller, two queued', async () => {
          const program = 'pLimitInJobs.mjs';
          const line = (marker: string) => at(program, marker);
          const snapshot = await operationsOf(run, program, node);
          assert.deepEqual(groupsOf(snapshot), [
            '2 × handleUpload · p-limit — queued, 2 running, 2 waiting',
            '2 × resize ← makeThumbnail ← handleUpload · new Promise — resolver not called yet',
          ]);
          const running = snapshot.tasks.filter((task) => !task.awaiting?.startsWith('p-limit'));
          for (const task of running) {
            assert.deepEqual(task.stack?.map(frameText), [
              `resize:${line('resize')}`,
              `makeThumbnail:${line('makeThumbnail')}`,
              '[library] generator',
              `handleUpload:${line('handleUpload')}`,
            ]);
            // The operation began with its caller, before the job ran.
            const queued = snapshot.tasks.find((task) => task.awaiting?.startsWith('p-limit'));
            assert.ok((task.ageMs ?? 0) >= (queued?.ageMs ?? 0) - 5, `${task.ageMs} vs ${queued?.ageMs}`);
          }
        });

        it('ws: each peer waits on events.once(socket, "message") in its handler', async () => {
          const program = 'wsPeers.js';
          const { snapshot, printed } = await runOperations(run, program, node);
          // Both waits are the one group, and both sockets are the once-waits found: the set is theirs.
          const [first, second] = printedAfter(printed, 'clients').sort((a, b) =>
            a.localeCompare(b, 'en', { numeric: true }),
          );
          const awaiting = `events.once(WebSocket, 'message') — 2 sockets, from ${first} and ${second}`;
          assert.deepEqual(groupsOf(snapshot), [`2 × greet · ${awaiting}`]);
          for (const task of snapshot.tasks) {
            assert.deepEqual(task.stack?.map(frameText), ['[runtime] once', `greet:${at(program, 'greet')}`]);
            assert.equal(task.awaiting, awaiting);
          }
        });

        it('ioredis: workers on a blocking BLPOP, one behind the other on a shared connection; a command queued while its client reconnects', async () => {
          const program = 'redisJobs.js';
          const { snapshot, printed } = await runOperations(run, program, node);
          const [server, , gone] = printedAfter(printed, 'server');
          const groups = groupsOf(snapshot);
          assert.equal(groups.length, 3, groups.join('\n'));
          assert.equal(groups[0], `2 × nextJob ← work · redis BLPOP jobs — sent to ${server}`);
          // The client goes from connecting to reconnecting every 100 ms: either may be seen.
          assert.match(
            groups[1],
            new RegExp(
              `^1 × countVisit · redis INCR visits — not sent: the client is (re)?connecting to ${gone.replaceAll('.', '\\.')}, 3 queued$`,
            ),
          );
          // A `Promise.all` of two commands: each element says its own.
          const warming = snapshot.tasks.find((task) => task.name === 'warmCache');
          const elements = Object.values(warming?.details ?? {}).map((text) =>
            String(text).replace(/ — not sent: .*$/, ''),
          );
          assert.deepEqual(elements, [
            `warmCache — redisJobs.js:${at(program, 'warmCache')}: redis GET greeting`,
            `warmCache — redisJobs.js:${at(program, 'warmCache')}: redis GET motd`,
          ]);
          const workers = snapshot.tasks.filter((task) => task.awaiting?.startsWith('redis BLPOP'));
          assert.deepEqual(
            workers.map((task) => [task.awaiting, task.details?.placeInLine]),
            [
              [
                `redis BLPOP jobs — no reply yet (a blocking command: it waits until the list has an item), sent to ${server}`,
                undefined,
              ],
              [
                `redis BLPOP jobs — waiting behind BLPOP jobs on its connection (replies come in order), sent to ${server}`,
                '2 of 2',
              ],
            ],
          );
          for (const task of workers) {
            // ioredis's frames are the library's; the chain is the program's, at its lines.
            assert.deepEqual(ownChain(task), [
              `nextJob:${at(program, 'nextJob')}`,
              `work:${at(program, 'work')}`,
            ]);
            assert.ok(task.stack?.[0].origin === 'library', JSON.stringify(task.stack?.[0]));
          }
        });

        it('pg: a pool of two busy with queries that never return, three lookups in line for a client', async () => {
          const program = 'pgPool.js';
          const snapshot = await operationsOf(run, program, node);
          const state = 'pool of 2: 2 busy, 3 waiting';
          // Each lookup once: the client's reader, made inside the same pool.query() call, is part of it.
          assert.deepEqual(groupsOf(snapshot), [`5 × findOrder · pg pool.query() — ${state}`]);
          assert.deepEqual(
            snapshot.tasks.map((task) => [task.awaiting, task.details?.placeInLine]),
            [
              [`pg pool.query() — running on a client, no result yet (${state})`, undefined],
              [`pg pool.query() — running on a client, no result yet (${state})`, undefined],
              [`pg pool.query() — waiting for a client (${state})`, '1 of 3'],
              [`pg pool.query() — waiting for a client (${state})`, '2 of 3'],
              [`pg pool.query() — waiting for a client (${state})`, '3 of 3'],
            ],
          );
          for (const task of snapshot.tasks)
            assert.deepEqual(task.stack?.map(frameText), [
              '[library] promisify',
              '[library] query',
              `findOrder:${at(program, 'findOrder')}`,
            ]);
        });

        it('axios: requests to a silent upstream, each once at its line, said as an axios request', async () => {
          const program = 'axiosRequests.js';
          const snapshot = await operationsOf(run, program, node);
          assert.deepEqual(groupsOf(snapshot), [
            '2 × loadProfile · axios request',
            '1 × loadFeed · axios request',
          ]);
          assert.deepEqual(snapshot.tasks.map(ownChain), [
            [`loadProfile:${at(program, 'loadProfile')}`],
            [`loadProfile:${at(program, 'loadProfile')}`],
            [`loadFeed:${at(program, 'loadFeed')}`],
          ]);
        });

        it('events.once on one net socket: its event and its peer', async () => {
          const program = 'onceSocket.js';
          const { snapshot, printed } = await runOperations(run, program, node);
          const [client] = printedAfter(printed, 'client');
          assert.deepEqual(groupsOf(snapshot), [
            `1 × readGreeting · events.once(Socket, 'data') — socket from ${client}`,
          ]);
          assert.deepEqual(snapshot.tasks[0].stack?.map(frameText), [
            '[runtime] once',
            `readGreeting:${at(program, 'readGreeting')}`,
          ]);
        });

        it('events.once on one client socket: its peer is the server it connected to', async () => {
          const program = 'onceClient.js';
          const { snapshot, printed } = await runOperations(run, program, node);
          const [server] = printedAfter(printed, 'server');
          assert.deepEqual(groupsOf(snapshot), [
            `1 × readBanner · events.once(Socket, 'data') — socket to ${server}`,
          ]);
        });

        it('events.once on one child process: its event and the process', async () => {
          const program = 'onceChild.js';
          const { snapshot, printed } = await runOperations(run, program, node);
          const [pid] = printedAfter(printed, 'child pid');
          assert.deepEqual(groupsOf(snapshot), [
            `1 × runBuild · events.once(ChildProcess, 'exit') — child process node (pid ${pid})`,
          ]);
        });

        it('events.once on two child processes from two functions: only what both agree on', async () => {
          const program = 'onceChildren.js';
          const snapshot = await operationsOf(run, program, node);
          // Nothing links a wait to its child: neither group is given a pid.
          assert.deepEqual(groupsOf(snapshot).sort(), [
            "1 × runBuild · events.once(ChildProcess, 'exit')",
            "1 × runTests · events.once(ChildProcess, 'exit')",
          ]);
        });

        it('stream/promises pipeline stalled by a slow Writable', async () => {
          const program = 'pipelineStall.js';
          const snapshot = await operationsOf(run, program, node);
          // The Readable of 20 chunks has pushed them all and ended: 16 wait upper-cased in the Transform.
          assert.deepEqual(groupsOf(snapshot), [
            '1 × exportRows · stream/promises pipeline() — stage 3 of 3 (Writable) has not called back on a write; 1 chunk waits in it, 16 before it',
          ]);
          assert.deepEqual(snapshot.tasks[0].stack?.map(frameText), [
            '[runtime] pipeline',
            `exportRows:${at(program, 'exportRows')}`,
          ]);
        });

        it('stream/promises pipeline stalled by the program’s Transform in the middle', async () => {
          const program = 'pipelineTransformStall.js';
          const snapshot = await operationsOf(run, program, node);
          // The program's subclass by its name; the Readable before it holds one chunk, its highWaterMark.
          assert.deepEqual(groupsOf(snapshot), [
            '1 × importRows · stream/promises pipeline() — stage 2 of 3 (Enrich) has not called back on a write; 1 chunk waits in it, 1 before it (stage 1 full)',
          ]);
          assert.deepEqual(snapshot.tasks[0].stack?.map(frameText), [
            '[runtime] pipeline',
            `importRows:${at(program, 'importRows')}`,
          ]);
        });

        it('two stalled stream/promises pipelines: neither is told which stall is its own', async () => {
          const program = 'pipelineStalls.js';
          const snapshot = await operationsOf(run, program, node);
          assert.deepEqual(groupsOf(snapshot), ['2 × copyTo · stream/promises pipeline()']);
          for (const task of snapshot.tasks) assert.equal(task.awaiting, 'stream/promises pipeline()');
        });

        it('for await over a socket and over readline', async () => {
          const program = 'forAwaitSocket.js';
          const snapshot = await operationsOf(run, program, node);
          assert.deepEqual(groupsOf(snapshot), [
            '1 × readChunks · stream read (for await)',
            '1 × readCommands · events.on() — next event (for await; readline lines too)',
          ]);
          assert.deepEqual(snapshot.tasks.map(ownChain), [
            [`readChunks:${at(program, 'readChunks')}`],
            [`readCommands:${at(program, 'readCommands')}`],
          ]);
        });

        it('worker-thread RPC: the call waiting for its reply, with its callers', async () => {
          const program = 'workerRpc.js';
          const line = (marker: string) => at(program, marker);
          const snapshot = await operationsOf(run, program, node);
          assert.deepEqual(groupsOf(snapshot), [
            '1 × callWorker ← double ← main · new Promise — resolver not called yet',
          ]);
          assert.deepEqual(ownChain(snapshot.tasks[0]), [
            `callWorker:${line('callWorker')}`,
            `double:${line('double')}`,
            `main:${line('main')}`,
          ]);
        });
      });
    }
  });
}

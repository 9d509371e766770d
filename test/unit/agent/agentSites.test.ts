import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { Snapshot, Task } from '../../../src/snapshot/format';
import { markerLine } from './fixtureLines';
import { fixturesDir, lastJson, runFixture } from './runWithAgent';

const createdInJobs = join(fixturesDir, 'createdInJobs.js');

function promises(snapshot: Snapshot): string[] {
  return snapshot.tasks
    .filter((task) => task.type === 'PROMISE')
    .map((task) => `${task.siteInherited ? 'within ' : ''}${task.name ?? '-'} @${task.site?.line ?? '?'}`)
    .sort();
}

async function snapshotOf(
  mode: string | undefined,
  options: object = { groupBy: 'none' },
): Promise<Snapshot> {
  const env = mode === undefined ? {} : { ASYNC_TOOLKIT_CREATION_STACKS: mode };
  return lastJson<Snapshot>(await runFixture('createdInJobs.js', { env, args: [JSON.stringify(options)] }));
}

describe('Node agent: creation sites in each mode', () => {
  it('a promise a WebAssembly module made (through a built-in it imports) has the program’s line as its site, not the wasm frame', async () => {
    const snapshot = lastJson<Snapshot>(await runFixture('wasmCaller.js'));
    const made = snapshot.tasks.find((task) => task.name?.startsWith('.then()'));
    assert.ok(made, JSON.stringify(snapshot.tasks.map((task) => task.name)));
    assert.deepEqual(made.site && [made.site.file, made.site.line], [
      join(fixturesDir, 'wasmCaller.js'),
      markerLine('agent/wasmCaller.js', 'run'),
    ]);
    assert.ok(!JSON.stringify(snapshot).includes('wasm://'), 'no wasm frame is shown without internals');
  });

  it('default (sampled): promises made inside jobs by `new` have sites of their own; their awaits show the site of the code that scheduled them', async () => {
    const snapshot = await snapshotOf(undefined);
    assert.deepEqual(promises(snapshot), [
      'async loadConfig @6',
      'async main @10',
      'await in main @11',
      'new Promise in loadConfig @8',
      'within - @7',
    ]);
    const inherited = snapshot.tasks.filter((task) => task.siteInherited);
    for (const task of inherited) {
      assert.equal(task.site?.functionName, 'loadConfig');
      assert.equal(task.site?.file, createdInJobs);
    }
  });

  it('all: every promise has its own site and age', async () => {
    const snapshot = await snapshotOf('all');
    assert.deepEqual(promises(snapshot), [
      'async loadConfig @6',
      'async main @10',
      'await in loadConfig @8',
      'await in main @11',
      'new Promise in loadConfig @8',
    ]);
    for (const task of snapshot.tasks.filter((t) => t.type === 'PROMISE'))
      assert.ok(task.ageMs !== undefined);
  });

  it('off: the same pending set, with no sites or stacks', async () => {
    const snapshot = await snapshotOf('off');
    assert.equal(snapshot.tasks.filter((task) => task.type === 'PROMISE').length, 5);
    assert.ok(snapshot.tasks.every((task: Task) => task.site === undefined && task.stack === undefined));
    assert.deepEqual(snapshot.groups ?? [], [], 'no groups were asked for (groupBy none)');
  });

  it('ids are stable: a task sent twice keeps its id', async () => {
    const result = await runFixture('createdInJobs.js', {
      args: [JSON.stringify({ groupBy: 'none' })],
      env: { ASYNC_TOOLKIT_TWICE: '1' },
    });
    const snapshot = lastJson<Snapshot>(result);
    assert.equal(
      new Set(snapshot.tasks.map((task) => task.id)).size,
      snapshot.tasks.length,
      'ids are unique',
    );
  });
});

describe('Node agent: grouping, paging and filters', () => {
  it('expands one group page by page without overlap', async () => {
    const first = await snapshotOf(undefined, { groupBy: 'type', maxTasksPerGroup: 2 });
    const promiseGroup = first.groups?.find((group) => group.label === 'PROMISE');
    assert.ok(promiseGroup, JSON.stringify(first.groups?.map((group) => group.label)));
    assert.equal(promiseGroup.count, 5);
    assert.equal(promiseGroup.taskIds.length, 2);
    assert.deepEqual(first.truncated, { totalTasks: 6, sentTasks: 3 });
    const rest = await snapshotOf(undefined, {
      groupBy: 'type',
      group: promiseGroup.id,
      offset: 2,
      limit: 10,
    });
    assert.equal(rest.tasks.length, 3);
    assert.equal(rest.groups?.[0].count, 5);
    assert.equal(rest.handles, undefined, 'an expansion does not repeat the handles');
  });

  it('groups by type when asked', async () => {
    const snapshot = await snapshotOf(undefined, { groupBy: 'type' });
    assert.deepEqual(
      snapshot.groups?.map((group) => `${group.count} ${group.label}`),
      ['5 PROMISE', '1 Timeout'],
    );
  });

  it('minAgeMs leaves out young tasks and keeps those of unknown age', async () => {
    const snapshot = await snapshotOf(undefined, { groupBy: 'none', minAgeMs: 60_000 });
    assert.deepEqual(promises(snapshot), ['within - @7']);
  });

  it('reports a bad option as an error that names it', async () => {
    const result = await runFixture('createdInJobs.js', { args: [JSON.stringify({ groupBy: 'file' })] });
    assert.match(result.stderr, /snapshot option groupBy must be 'default', 'type', 'none', got "file"/);
  });
});

describe('Node agent: sites in TypeScript and ES modules', () => {
  let folder: string;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'agent-ts-'));
    buildSync({
      entryPoints: [join(fixturesDir, 'typescript', 'orders.ts')],
      outfile: join(folder, 'orders.js'),
      sourcemap: 'linked',
      platform: 'node',
      format: 'cjs',
      logLevel: 'silent',
    });
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('maps sites back to the .ts source when source maps are enabled', async () => {
    const result = await runFixture(join(folder, 'orders.js'), {
      env: { NODE_OPTIONS: '--enable-source-maps' },
    });
    const snapshot = lastJson<Snapshot>(result);
    const created = snapshot.tasks.find((task) => task.name === 'new Promise in nextOrder');
    assert.ok(created, JSON.stringify(snapshot.tasks.map((task) => task.name)));
    assert.equal(created.site?.file, join(fixturesDir, 'typescript', 'orders.ts'));
    assert.equal(created.site?.line, 10);
    const processing = snapshot.tasks.find((task) => task.name === 'async processOrders');
    assert.equal(processing?.site?.line, 13);
  });

  it('gives paths, not file URLs, for ES modules', async () => {
    const snapshot = lastJson<Snapshot>(await runFixture('esmModule.mjs'));
    const created = snapshot.tasks.find((task) => task.name === 'new Promise in waitForSignal');
    assert.equal(created?.site?.file, join(fixturesDir, 'esmModule.mjs'));
    assert.equal(created?.site?.line, 4);
  });
});

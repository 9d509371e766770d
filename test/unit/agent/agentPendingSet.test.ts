// Which promises a snapshot lists, where the program or Node make it hard: Node's module loader, a
// replaced `globalThis.Promise`, a subclass whose inspection would run the program's code, promises
// settled while tracking was paused.
import * as assert from 'node:assert/strict';
import { describeOnEveryMajor } from './nodeVersions';
import { lastJson, runFixture } from './runWithAgent';

type Listed = [id: string, parentId: string | null, name: string | null];

describe('Node agent: the pending set', () => {
  describeOnEveryMajor((_major, node) => {
    it("lists an ES module's own promises with their await parents in `off` mode as in the default, and none of the module loader's", async () => {
      const run = (mode: string) =>
        runFixture('esmPending.mjs', { node: node(), env: { ASYNC_TOOLKIT_CREATION_STACKS: mode } });
      const sampled = lastJson<Listed[]>(await run('sampled'));
      const off = lastJson<Listed[]>(await run('off'));
      assert.deepEqual(
        sampled.map(([, , name]) => name),
        [
          'async outer',
          'async inner',
          'new Promise in inner',
          'await in inner',
          'await in outer',
          'await in (anonymous)',
        ],
      );
      const idOf = (name: string) => sampled.find((task) => task[2] === name)?.[0];
      assert.equal(sampled[3][1], idOf('new Promise in inner'), 'await in inner waits on the new Promise');
      assert.equal(sampled[4][1], idOf('async inner'), 'await in outer waits on inner()');
      // The same tasks, ids and parents without stacks: only the names (from the stacks) are gone.
      assert.deepEqual(
        off,
        sampled.map(([id, parentId]) => [id, parentId, null]),
      );
    });

    it('finds native promises after the program replaced globalThis.Promise, without running a subclass getter', async () => {
      const result = lastJson<{ names: string[]; ran: string[] }>(
        await runFixture('replacedPromise.js', { node: node() }),
      );
      assert.deepEqual(result.names, [
        'new Promise in Tagged',
        ...Array(4).fill('new Promise in nativeWait'),
      ]);
      assert.deepEqual(result.ran, []);
    });
  });

  it('asks V8 about promises that settled while tracking was paused, and leaves them out', async function () {
    this.timeout(30_000);
    const seen = lastJson<Record<string, string[] | boolean>>(await runFixture('settledDuringPause.js'));
    assert.equal(seen.paused, true, 'tracking paused during the churn');
    assert.equal(seen.resumed, true, 'and resumed after it');
    assert.deepEqual(seen.before, [
      'async settlesDuringPause',
      'async staysPending',
      'await in settlesDuringPause',
      'await in staysPending',
      'new Promise in waitFor',
      'new Promise in waitFor',
    ]);
    for (const when of ['during', 'after'] as const) {
      const names = seen[when] as string[];
      assert.ok(!names.includes('async settlesDuringPause'), `${when}: ${names}`);
      assert.ok(
        names.includes('async staysPending') && names.includes('await in staysPending'),
        `${when}: ${names}`,
      );
    }
  });
});

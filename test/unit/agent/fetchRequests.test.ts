// A pending fetch's URL and phase, from undici's diagnostics channels (src/agent/fetchRequests.ts), on
// every supported Node: the request is tied to the promise its operation waits on because undici
// publishes `undici:request:create` synchronously inside its dispatcher's `new Promise` executor.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Snapshot } from '../../../src/snapshot/format';
import { describeOnEveryMajor } from './nodeVersions';
import { fixturesDir, lastJson, runFixture } from './runWithAgent';

const program = join(fixturesDir, '..', 'frameworks', 'fetchPhases.js');

describe('Node agent: fetch URL and phase from undici’s diagnostics channels', function () {
  this.timeout(30_000);
  describeOnEveryMajor((major, node) => {
    it('names the URL while waiting for headers, the body method while reading the body', async () => {
      const result = await runFixture(program, { node: node() });
      assert.equal(result.stderr.trim(), '');
      const snapshot = lastJson<Snapshot>(result);
      const texts = snapshot.tasks.map((task) => `${task.name} · ${task.awaiting}`);
      assert.equal(texts.length, 2, texts.join('\n'));
      assert.match(
        texts[0],
        /^checkStock · fetch GET http:\/\/127\.0\.0\.1:\d+\/stock\/7 — waiting for response headers$/,
      );
      assert.equal(texts[1], 'downloadReport · fetch response.text() — reading the body');
    });

    it('names the npm package undici’s request() by its own name', async function () {
      // undici 7 (the devDependency) needs Node 20.18+: on 18 it throws while loading.
      if (major < 20) this.skip();
      const result = await runFixture(join(fixturesDir, '..', 'frameworks', 'undiciRequest.js'), {
        node: node(),
      });
      assert.equal(result.stderr.trim(), '');
      const snapshot = lastJson<Snapshot>(result);
      assert.deepEqual(
        snapshot.tasks.map((task) => `${task.name} · ${task.awaiting?.replace(/:\d+\//, ':PORT/')}`),
        [
          'loadOrders · undici.request() GET http://127.0.0.1:PORT/orders?page=2 — waiting for response headers',
        ],
      );
    });

    it('reads no getter of a message and throws nothing into the program', async () => {
      const result = await runFixture('fetchChannelGuest.js', { node: node() });
      assert.equal(result.stderr, '');
      assert.deepEqual(lastJson(result), { getterCalls: 0, uncaught: 0 });
    });
  });
});

import * as assert from 'node:assert/strict';
import type { Snapshot } from '../../../src/snapshot/format';
import { markerLine } from './fixtureLines';
import { describeOnEveryMajor } from './nodeVersions';
import { lastJson, runFixture } from './runWithAgent';

// The full suite runs on the Node that runs mocha; this smoke subset runs on every supported major.
describe('Node agent on every supported Node.js major', () => {
  describeOnEveryMajor((major, node) => {
    it('lists the pending promises of the fixture with their sites, and the server and interval', async () => {
      // The parts of operations: promises and resources, grouped by type.
      const snapshot = lastJson<Snapshot>(
        await runFixture('hangingFunctions.js', {
          node: node(),
          args: [JSON.stringify({ groupBy: 'type' })],
        }),
      );
      const names = snapshot.tasks
        .filter((task) => task.type === 'PROMISE')
        .map((task) => `${task.name} @${task.site?.line}`)
        .sort();
      assert.deepEqual(names, [
        ...Array(3).fill('async fetchUser @10'),
        ...Array(3).fill('await in fetchUser @11'),
        ...Array(3).fill('new Promise in hangForever @8'),
      ]);
      const handles = (snapshot.handles ?? []).map((handle) => handle.type).sort();
      assert.deepEqual(handles, ['TCPSERVERWRAP', 'Timeout']);
      if (major >= 24) {
        // Node 24+ lets async_hooks leave promises out: resources get creation sites too.
        const interval = snapshot.handles?.find((handle) => handle.type === 'Timeout');
        assert.equal(interval?.site?.line, 18);
      }
    });

    if (major >= 24) {
      it("knows what a timer callback makes beyond the stack budget by the timer's site", async () => {
        const operations = lastJson<[string, string, string[]][]>(
          // The burst and no refill, so that the promise past the budget stays so on a slow machine.
          await runFixture('callbackInheritance.js', {
            node: node(),
            env: { ASYNC_TOOLKIT_CAPTURES_PER_SECOND: '0' },
          }),
        );
        const line = (name: string) => markerLine('agent/callbackInheritance.js', name);
        assert.deepEqual(operations, [
          [
            'startTicker',
            'not known: no stack was captured for it (the capture budget was spent)',
            [`startTicker:${line('setInterval')} (inferred)`, `undefined:${line('startTicker')} (inferred)`],
          ],
        ]);
      });
    }

    it('changes neither output nor exit code', async () => {
      const without = await runFixture('ordinaryProgram.js', { node: node(), withAgent: false });
      const withAgent = await runFixture('ordinaryProgram.js', { node: node() });
      assert.equal(withAgent.stdout, without.stdout);
      assert.equal(withAgent.code, without.code);
    });

    it('gives workers and child processes their own registries', async () => {
      const { main, worker, child } = lastJson<Record<string, { names: string[] }>>(
        await runFixture('workerAndChild.js', { node: node() }),
      );
      assert.deepEqual(
        [main.names, worker.names, child.names],
        [['new Promise in mainWaits'], ['new Promise in workerWaits'], ['new Promise in childWaits']],
      );
    });
  });
});

// An operation's age is since it began, its wait's since the current `await`: a loop that never ends is
// as old as the loop, in every creation-stack mode — `all` too, where every iteration's promises have
// records of their own (issue 18 saw a loop's age reset to its latest iteration there).
import * as assert from 'node:assert/strict';
import { describeOnEveryMajor } from './nodeVersions';
import { lastJson, runFixture } from './runWithAgent';

interface Age {
  name: string;
  ageMs: number;
  waitingMs: number;
}

describe('Node agent: ages of a loop’s operation', function () {
  this.timeout(30_000);
  describeOnEveryMajor((_major, node) => {
    for (const mode of ['all', 'sampled']) {
      it(`${mode}: the loop's age, not its latest iteration's`, async () => {
        const result = await runFixture('loopAges.js', {
          node: node(),
          env: { ASYNC_TOOLKIT_CREATION_STACKS: mode },
        });
        assert.equal(result.stderr, '');
        const ages = lastJson<Age[]>(result);
        assert.deepEqual([...new Set(ages.map((age) => age.name))].sort(), ['poll', 'pollTimers']);
        for (const age of ages) {
          assert.ok(age.ageMs >= 550, `${age.name} began when the loop did: ${age.ageMs} ms`);
          assert.ok(age.waitingMs < 250, `${age.name} waits since its latest await: ${age.waitingMs} ms`);
        }
      });
    }
  });
});

// The agent's pure parts, in this process: option parsing, the capture budget, paging of groups, and
// which chains past the budget a later leaf stands for.
import * as assert from 'node:assert/strict';
import { CaptureBudget } from '../../../src/agent/captureBudget';
import { CreationRecord } from '../../../src/agent/creationRecord';
import { parseCreationStackMode } from '../../../src/agent/creationStackMode';
import { nameOfPromise } from '../../../src/agent/describedTask';
import { flowsLeft, pendingCallsShown } from '../../../src/agent/flowContinuations';
import { DEFAULT_UNGROUPED_LIMIT, type PageRequest, pageItems } from '../../../src/agent/groupTasks';
import { type Shaped, shapeOf } from '../../../src/agent/operationModel';
import type { Flow } from '../../../src/agent/operationParts';
import { commandText } from '../../../src/agent/redisWaits';
import type { Frame } from '../../../src/agent/stackTypes';
import { parseSnapshotRequest } from '../../../src/snapshot/request';

describe('Node agent core: creation stack mode', () => {
  it('reads all, sampled and off, whatever their case, and defaults to sampled', () => {
    assert.deepEqual(parseCreationStackMode('ALL'), { mode: 'all' });
    assert.deepEqual(parseCreationStackMode(' off '), { mode: 'off' });
    assert.deepEqual(parseCreationStackMode(undefined), { mode: 'sampled' });
    assert.deepEqual(parseCreationStackMode(''), { mode: 'sampled' });
  });

  it('falls back to the default with a warning naming the bad value', () => {
    const parsed = parseCreationStackMode('everything');
    assert.equal(parsed.mode, 'sampled');
    assert.match(
      parsed.warning ?? '',
      /ASYNC_TOOLKIT_CREATION_STACKS="everything" is not one of all, sampled, off/,
    );
  });
});

describe('Node agent core: capture budget', () => {
  it('grants the burst at once, then as many per second as the rate allows', () => {
    let now = 0;
    const budget = new CaptureBudget(3, 10, () => now);
    assert.deepEqual([budget.take(), budget.take(), budget.take(), budget.take()], [true, true, true, false]);
    now = 1000;
    // The clock is read only every 64th call once the bucket is empty: spend the calls in between.
    let granted = 0;
    for (let i = 0; i < 200; i++) if (budget.take()) granted += 1;
    assert.equal(granted, 3, 'refilled up to the burst, not beyond');
  });

  it('keeps a reserve for other callers: a take with a reserve stops while that many are left', () => {
    let now = 0;
    const budget = new CaptureBudget(4, 10, () => now);
    assert.deepEqual(
      [budget.take(false, 2), budget.take(false, 2), budget.take(false, 2)],
      [true, true, false],
    );
    assert.deepEqual([budget.take(), budget.take(), budget.take()], [true, true, false]);
    now = 400; // four refilled: the reserved take gets what is above the reserve, and reads the clock itself
    assert.deepEqual([budget.take(true, 2), budget.take(true, 2), budget.take(true, 2)], [true, true, false]);
  });

  it('grants nothing more while the clock stands still', () => {
    const budget = new CaptureBudget(1, 1000, () => 5);
    assert.equal(budget.take(), true);
    for (let i = 0; i < 500; i++) assert.equal(budget.take(), false);
  });
});

describe('Node agent core: snapshot options', () => {
  it('has defaults for everything', () => {
    const options = parseSnapshotRequest(undefined);
    assert.equal(options.groupBy, 'default');
    assert.equal(options.maxTasksPerGroup, 50);
    assert.equal(options.includeInternals, false);
  });

  it('rejects unknown options and bad values with a message naming them', () => {
    assert.throws(() => parseSnapshotRequest({ groupby: 'site' }), /unknown snapshot option "groupby"/);
    assert.throws(
      () => parseSnapshotRequest({ groupBy: 'file' }),
      /groupBy must be 'default', 'type', 'none', got "file"/,
    );
    assert.throws(() => parseSnapshotRequest({ limit: -1 }), /limit must be a non-negative integer, got -1/);
    assert.throws(
      () => parseSnapshotRequest({ includeInternals: 'yes' }),
      /includeInternals must be a boolean/,
    );
    assert.throws(() => parseSnapshotRequest('site'), /must be an object, got "site"/);
  });
});

describe('Node agent core: paging groups', () => {
  const request: PageRequest = {
    groupBy: 'default',
    maxTasksPerGroup: 2,
    maxGroups: 10,
    group: undefined,
    offset: 0,
    limit: undefined,
  };
  const items = ['a1', 'b1', 'a2', 'a3', 'c1', 'b2'];
  const keyOf = (item: string) => item[0];

  it('sends the largest groups first with their first members, and counts the rest', () => {
    const page = pageItems(items, keyOf, () => 'pending', request);
    assert.deepEqual(
      page.groups?.map((group) => [group.key, group.count, group.sent]),
      [
        ['a', 3, ['a1', 'a2']],
        ['b', 2, ['b1', 'b2']],
        ['c', 1, ['c1']],
      ],
    );
    assert.deepEqual(page.sent, ['a1', 'a2', 'b1', 'b2', 'c1']);
    assert.equal(page.total, 6);
  });

  it('pages through one group with offset and limit', () => {
    const page = pageItems(items, keyOf, () => 'pending', { ...request, group: 'a', offset: 1, limit: 5 });
    assert.deepEqual(page.sent, ['a2', 'a3']);
    assert.equal(page.total, 3);
  });

  it('answers an unknown group with nothing rather than another group', () => {
    assert.deepEqual(
      pageItems(items, keyOf, () => 'pending', { ...request, group: 'z' }),
      { sent: [], groups: [], total: 0 },
    );
  });

  it('counts states per group and caps the number of groups', () => {
    const page = pageItems(items, keyOf, (item) => (item === 'a3' ? 'running' : 'pending'), {
      ...request,
      maxGroups: 1,
    });
    assert.deepEqual(page.groups?.[0].states, { pending: 2, running: 1 });
    assert.equal(page.groups?.length, 1);
    assert.equal(page.total, 6);
  });

  it('sends a flat page when not grouping', () => {
    const page = pageItems(items, keyOf, () => 'pending', { ...request, groupBy: 'none', offset: 4 });
    assert.deepEqual(page, { sent: ['c1', 'b2'], total: 6 });
    assert.ok(DEFAULT_UNGROUPED_LIMIT >= 100);
  });
});

describe('Node agent core: naming promises', () => {
  it('says how each promise came to be', () => {
    assert.equal(nameOfPromise(false, undefined, 'fetchUser'), 'async fetchUser');
    assert.equal(nameOfPromise(true, undefined, 'fetchUser'), 'await in fetchUser');
    assert.equal(nameOfPromise(false, 'new Promise', 'hangForever'), 'new Promise in hangForever');
    assert.equal(nameOfPromise(true, '.then()', undefined), '.then() in (anonymous)');
  });
});

describe('Node agent core: chains past the budget that a later leaf continues', () => {
  const frame = (functionName: string, async = false): Frame => ({
    file: '/app/server.js',
    line: 1,
    column: 1,
    functionName,
    internal: false,
    async,
  });
  const chain = (number: number) => new CreationRecord(number, 0, 'PROMISE', 0, undefined, undefined);
  const leafContinuing = (root: CreationRecord | undefined, frames: Frame[]): Shaped => {
    const record = chain(1000 + frames.length);
    record.continues = root;
    const read = { frames, builtin: 'new Promise', marks: undefined, site: frames[0] };
    return { record, read, kind: 'leaf', shape: shapeOf([]), frames: [], key: '' };
  };
  const flow = (root: number, promises: number): Flow => ({
    record: chain(root),
    promises,
    reason: 'budget',
    root,
  });

  it('counts the chain’s pending calls a leaf shows: its async frames and the function its job resumed', () => {
    // query ← getOrder (running: its job made the leaf) ← async handler
    assert.equal(pendingCallsShown([frame('query'), frame('getOrder'), frame('handler', true)]), 2);
    // No async frame: a `.then()` callback or a call nothing awaits; nothing is claimed.
    assert.equal(pendingCallsShown([frame('query'), frame('onData')]), 0);
  });

  it('takes out a chain the leaves continuing it account for exactly, and no other', () => {
    const request = chain(7);
    const leaf = leafContinuing(request, [frame('query'), frame('getOrder'), frame('handler', true)]);
    const others = [flow(8, 2), { ...flow(9, 2), reason: 'paused' as const, root: 7 }];
    assert.deepEqual(flowsLeft([flow(7, 2), ...others], [leaf]), others);
    // Three promises: the callback began another operation too; the row stays, with all it holds.
    const loop = flow(7, 3);
    assert.deepEqual(flowsLeft([loop], [leaf]), [loop]);
    // A leaf that continues nothing leaves every chain.
    assert.deepEqual(flowsLeft([flow(7, 2)], [leafContinuing(undefined, leaf.read.frames)]), [flow(7, 2)]);
  });
});

describe('Node agent core: an ioredis command as a wait shows it', () => {
  it('names the command and its first argument, shortened, and never a credential', () => {
    assert.equal(commandText('blpop', ['jobs', 0]), 'BLPOP jobs');
    assert.equal(commandText('incr', [7]), 'INCR 7');
    assert.equal(commandText('auth', ['default', 's3cret']), 'AUTH');
    assert.equal(commandText('hello', ['3', 'AUTH', 'default', 's3cret']), 'HELLO');
    assert.equal(commandText('set', [Buffer.from('key'), 'value']), 'SET');
    assert.equal(commandText('get', [`user:${'x'.repeat(60)}`]), `GET user:${'x'.repeat(34)}…`);
    assert.equal(commandText('', ['x']), undefined);
  });
});

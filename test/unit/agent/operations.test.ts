// Operations, the default grouping of a Node snapshot, on programs of known structure (test/fixtures/
// operations/), on every supported Node major: each operation once, its stack (each function at the
// line where it waits, found by `// marker:` comments), what it waits on, and the groups they merge
// into. Timers, sockets and servers have records from Node 24 on: only there do waits name them.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import type { Snapshot, StackFrame, Task } from '../../../src/snapshot/format';
import { markerLine } from './fixtureLines';
import { describeOnEveryMajor } from './nodeVersions';
import { fixturesDir, lastJson, repositoryRoot, runFixture } from './runWithAgent';

const operationsDir = join(fixturesDir, '..', 'operations');
const validate = new Ajv({ allErrors: true }).compile(
  JSON.parse(readFileSync(join(repositoryRoot, 'src', 'snapshot', 'snapshot.schema.json'), 'utf8')),
);

/** `fetchJobData:24` for the program's frames, `[runtime] once` for Node's (their lines vary by version). */
function frameText(frame: StackFrame): string {
  if (frame.origin) return `[${frame.origin}] ${frame.functionName ?? '(anonymous)'}`;
  return `${frame.functionName ?? '(anonymous)'}:${frame.line}`;
}

interface Shown {
  name: string | undefined;
  stack: string[];
  awaiting: string | undefined;
  details?: Task['details'];
}

function shown(task: Task): Shown {
  const result: Shown = {
    name: task.name,
    stack: (task.stack ?? []).map(frameText),
    awaiting: task.awaiting,
  };
  if (task.details) result.details = task.details;
  return result;
}

/** The capture budget's burst and no refill: a test that spends it is not undone on a slow machine. */
const NO_REFILL = { ASYNC_TOOLKIT_CAPTURES_PER_SECOND: '0' };

async function operationsOf(program: string, node: string, env?: Record<string, string>): Promise<Snapshot> {
  const snapshot = lastJson<Snapshot>(await runFixture(join(operationsDir, `${program}.js`), { node, env }));
  assert.equal(validate(snapshot), true, JSON.stringify(validate.errors));
  const file = join(operationsDir, `${program}.js`);
  for (const task of snapshot.tasks) {
    assert.equal(task.type, 'Operation');
    assert.equal(task.stackKind, 'suspended');
    assert.equal(task.parentId, null);
    for (const frame of task.stack ?? []) {
      assert.equal(frame.inferred, undefined, `an exact stack in a quiet program: ${JSON.stringify(frame)}`);
      if (!frame.origin) assert.equal(frame.file, file);
    }
    // The view opens the innermost frame of the program's own code.
    const own = task.stack?.find((frame) => !frame.origin);
    assert.deepEqual(task.site && [task.site.file, task.site.line], own && [own.file, own.line]);
    assert.ok(task.ageMs !== undefined && task.waitingMs !== undefined, 'ages are known');
    assert.ok(task.ageMs >= task.waitingMs, 'an operation began before its current wait');
  }
  assert.equal(snapshot.notes, undefined, 'every operation has an exact stack');
  return snapshot;
}

const groupsOf = (snapshot: Snapshot) =>
  (snapshot.groups ?? []).map((group) => `${group.count} × ${group.label} · ${group.awaiting}`);

describe('Node agent: operations, the default grouping', () => {
  describeOnEveryMajor((major, nodeBinary) => {
    const resources = major >= 24;
    const node = () => nodeBinary();
    const at = (program: string, marker: string) => markerLine(`operations/${program}.js`, marker);

    it('job queue: two requests on a socket, one approval, one idle worker', async () => {
      const snapshot = await operationsOf('jobQueue', node());
      const line = (marker: string) => at('jobQueue', marker);
      const port = /:(\d+)$/.exec(
        snapshot.handles?.find((handle) => handle.type === 'TCPSERVERWRAP')?.description ?? '',
      )?.[1];
      const socket = `socket read from 127.0.0.1:${port}`;
      const unresolved = 'new Promise — resolver not called yet';
      // Who started each: the listen callback's loop, which V8's async frames no longer show.
      for (const task of snapshot.tasks)
        assert.deepEqual(
          task.startedBy?.map((frame) => frame.line),
          [line('start-workers')],
          `${task.name} started by ${JSON.stringify(task.startedBy)}`,
        );
      assert.deepEqual(groupsOf(snapshot), [
        `2 × httpGet ← fetchJobData ← runJob ← worker · ${resources ? socket : unresolved}`,
        `1 × waitForApproval ← fetchJobData ← runJob ← worker · ${unresolved}`,
        `1 × worker · ${resources ? 'setTimeout 50 ms' : unresolved}`,
      ]);
      const chain = [`runJob:${line('runJob')}`, `worker:${line('worker-job')}`];
      assert.deepEqual(snapshot.tasks.map(shown), [
        ...[1, 2].map((job) => ({
          name: 'worker',
          stack: [`httpGet:${line('httpGet')}`, `fetchJobData:${line('fetchJobData-get')}`, ...chain],
          awaiting: resources ? `${socket} (GET /job/${job})` : unresolved,
        })),
        {
          name: 'worker',
          stack: [
            `waitForApproval:${line('waitForApproval')}`,
            `fetchJobData:${line('fetchJobData-approval')}`,
            ...chain,
          ],
          awaiting: unresolved,
        },
        {
          name: 'worker',
          stack: [`worker:${line('worker-idle')}`],
          awaiting: resources ? 'setTimeout 50 ms' : unresolved,
        },
      ]);
      const approval = snapshot.groups?.[1];
      assert.deepEqual(approval?.site && [approval.site.functionName, approval.site.line], [
        'waitForApproval',
        line('waitForApproval'),
      ]);
      assert.ok(snapshot.groups?.every((group) => group.kind === 'stack' && group.oldestAgeMs !== undefined));
    });

    it('nested Promise.all: one operation waiting for 1 of 2, the inner Promise.all as its element', async () => {
      const snapshot = await operationsOf('nestedAll', node());
      assert.deepEqual(groupsOf(snapshot), ['1 × loadPage · Promise.all — 1 of 2 pending']);
      assert.deepEqual(snapshot.tasks.map(shown), [
        {
          name: 'loadPage',
          stack: [`loadPage:${at('nestedAll', 'loadPage')}`],
          awaiting: 'Promise.all — 1 of 2 pending',
          details: { 'element 1': `loadBody — nestedAll.js:${at('nestedAll', 'loadBody')}: Promise.all` },
        },
      ]);
    });

    it('Promise.allSettled over calls in its argument list: each element found through the wait it reaches', async () => {
      const snapshot = await operationsOf('inlineElements', node());
      assert.deepEqual(groupsOf(snapshot), ['1 × crawlAll · Promise.allSettled — 3 of 3 pending']);
      const [operation] = snapshot.tasks;
      assert.equal(snapshot.tasks.length, 1, 'the fetch is an element, not an operation of its own');
      assert.deepEqual(shown(operation).stack, [`crawlAll:${at('inlineElements', 'crawlAll')}`]);
      const details = operation.details as Record<string, string>;
      const parked = `take — inlineElements.js:${at('inlineElements', 'take')}: new Promise — resolver not called yet`;
      assert.equal(details['element 0'], parked);
      assert.equal(details['element 1'], parked);
      assert.match(
        details['element 2'],
        new RegExp(
          `^crawlAll — inlineElements\\.js:${at('inlineElements', 'crawlAll')}: (fetch\\(\\)|socket read from 127\\.0\\.0\\.1:\\d+)`,
        ),
      );
    });

    it('a race returned from an async function: the caller’s .catch() is no element of it', async () => {
      const snapshot = await operationsOf('returnedRace', node());
      assert.deepEqual(groupsOf(snapshot), ['2 × handle · Promise.race — 2 of 2 pending']);
      const timer = resources ? 'setTimeout 60000 ms' : 'new Promise — resolver not called yet';
      for (const operation of snapshot.tasks)
        assert.deepEqual(shown(operation), {
          name: 'handle',
          stack: [`handle:${at('returnedRace', 'handle')}`],
          awaiting: 'Promise.race — 2 of 2 pending',
          details: {
            'element 0': `lock — returnedRace.js:${at('returnedRace', 'lock')}: new Promise — resolver not called yet`,
            'element 1': `timeout — returnedRace.js:${at('returnedRace', 'timeout')}: ${timer}`,
          },
        });
    });

    it('a child process run through util.promisify(execFile): the operation waits on it', async () => {
      const snapshot = await operationsOf('childProcess', node());
      assert.equal(snapshot.tasks.length, 1);
      const [operation] = snapshot.tasks;
      // The promise is made a line before the one that awaits it: the stack shows where it was made.
      assert.equal(shown(operation).stack.at(-1), `runTool:${at('childProcess', 'runTool')}`);
      const expected =
        major >= 24
          ? /^child process node \(pid \d+\)$/
          : major === 22
            ? /^child_process execFile\(\)$/
            : /^child process \(promisified exec or execFile\)$/;
      assert.match(operation.awaiting ?? '', expected);
    });

    it('a pipeline whose last stage is the program’s generator: one operation, waiting in the stage', async () => {
      const snapshot = await operationsOf('pipelineStage', node());
      assert.equal(snapshot.tasks.length, 1, JSON.stringify(snapshot.tasks.map(shown)));
      const [operation] = snapshot.tasks;
      assert.deepEqual(
        shown(operation).stack.filter((frame) => !frame.startsWith('[')),
        [`stage:${at('pipelineStage', 'stage')}`, `convert:${at('pipelineStage', 'convert')}`],
      );
      assert.equal(operation.awaiting, 'stream read (for await)');
    });

    it('request handler awaiting a slow fake database: one operation per request in flight', async () => {
      const snapshot = await operationsOf('slowDatabase', node());
      const waits = resources ? 'setTimeout 60000 ms' : 'new Promise — resolver not called yet';
      assert.deepEqual(groupsOf(snapshot), [`2 × query ← handleRequest · ${waits}`]);
      const stack = [
        `query:${at('slowDatabase', 'query')}`,
        `handleRequest:${at('slowDatabase', 'handleRequest')}`,
      ];
      assert.deepEqual(snapshot.tasks.map(shown), [
        { name: 'handleRequest', stack, awaiting: waits },
        { name: 'handleRequest', stack, awaiting: waits },
      ]);
    });

    it('resolvers held in a Map: three calls waiting for replies', async () => {
      const snapshot = await operationsOf('resolverInMap', node());
      assert.deepEqual(groupsOf(snapshot), [
        '3 × waitForReply ← ask · new Promise — resolver not called yet',
      ]);
      const stack = [
        `waitForReply:${at('resolverInMap', 'waitForReply')}`,
        `ask:${at('resolverInMap', 'ask')}`,
      ];
      assert.deepEqual(
        snapshot.tasks.map(shown),
        [0, 1, 2].map(() => ({ name: 'ask', stack, awaiting: 'new Promise — resolver not called yet' })),
      );
    });

    it('events.once: the wait inside Node is shown as such, the program’s line opened', async () => {
      const snapshot = await operationsOf('eventsOnce', node());
      assert.deepEqual(snapshot.tasks.map(shown), [
        {
          name: 'waitForStart',
          stack: ['[runtime] once', `waitForStart:${at('eventsOnce', 'waitForStart')}`],
          // The one once-wait and the one emitter holding a once-resolver: its emitter and event.
          awaiting: "events.once(EventEmitter, 'start')",
        },
      ]);
    });

    it('for await over a stream that gets no data', async () => {
      const snapshot = await operationsOf('forAwaitStream', node());
      assert.deepEqual(groupsOf(snapshot), ['1 × consume · stream read (for await)']);
      const [operation] = snapshot.tasks.map(shown);
      assert.deepEqual(operation.stack.slice(1), [`consume:${at('forAwaitStream', 'consume')}`]);
      assert.match(operation.stack[0], /^\[runtime\] /);
    });

    it('timer sleeps: a promise around setTimeout and timers/promises', async () => {
      const snapshot = await operationsOf('timerSleep', node());
      const line = (marker: string) => at('timerSleep', marker);
      const sorted = snapshot.tasks.map(shown).sort((a, b) => String(a.name).localeCompare(String(b.name)));
      assert.deepEqual(sorted, [
        {
          name: 'nap',
          stack: [`sleep:${line('sleep')}`, `nap:${line('nap')}`],
          awaiting: resources ? 'setTimeout 5000 ms' : 'new Promise — resolver not called yet',
        },
        {
          name: 'napWithTimersPromises',
          stack: ['[runtime] setTimeout', `napWithTimersPromises:${line('napWithTimersPromises')}`],
          awaiting: resources ? 'setTimeout 5000 ms' : 'timers/promises setTimeout()',
        },
      ]);
    });

    it('an async generator waiting inside, read by for await', async () => {
      const snapshot = await operationsOf('asyncGenerator', node());
      assert.deepEqual(snapshot.tasks.map(shown), [
        {
          name: 'countTicks',
          stack: [
            `ticks:${at('asyncGenerator', 'ticks')}`,
            `countTicks:${at('asyncGenerator', 'countTicks')}`,
          ],
          awaiting: 'new Promise — resolver not called yet',
        },
      ]);
    });

    it('a promise Node made in C++ (fs/promises): the call into Node is where the chain waits', async () => {
      const snapshot = await operationsOf('nodeMadePromise', node());
      assert.deepEqual(snapshot.tasks.map(shown), [
        {
          name: 'boot',
          stack: [
            '[runtime] open',
            `readConfig:${at('nodeMadePromise', 'readConfig')}`,
            `boot:${at('nodeMadePromise', 'boot')}`,
          ],
          awaiting: 'fs/promises open()',
        },
      ]);
    });

    it('past the capture budget: the operation is listed once, by what is known, and the note says so', async () => {
      const snapshot = lastJson<Snapshot>(
        await runFixture(join(operationsDir, 'pastTheBudget.js'), { node: node(), env: NO_REFILL }),
      );
      assert.equal(validate(snapshot), true, JSON.stringify(validate.errors));
      const [operation, ...others] = snapshot.tasks;
      assert.deepEqual(others, []);
      assert.equal(operation.type, 'Operation');
      assert.equal(
        operation.awaiting,
        'not known: no stack was captured for it (the capture budget was spent)',
      );
      // The call made past the budget and the promise its await made later: one operation, two promises.
      assert.deepEqual(operation.details, { promises: 2 });
      assert.ok((operation.stack ?? []).every((frame) => frame.inferred === true));
      if (resources) {
        // Node 24+: the timer whose callback made it gives its line.
        const lines = operation.stack?.map((frame) => frame.line);
        assert.deepEqual(lines, [at('pastTheBudget', 'late-call')]);
      }
      assert.match(
        snapshot.notes?.at(-1) ?? '',
        /^0 of 1 operations have exact stacks; the other row stands for 2 pending promises/,
      );
    });

    it('the budget running out in the middle of a request: the request finishes with stacks, each request is one row', async () => {
      for (const spent of ['0', '1']) {
        const env = { ...NO_REFILL, BUDGET_SPENT_FIRST: spent };
        const snapshot = lastJson<Snapshot>(
          await runFixture(join(operationsDir, 'budgetMidRequest.js'), { node: node(), env }),
        );
        assert.equal(validate(snapshot), true, JSON.stringify(validate.errors));
        const operations = (snapshot.groups ?? []).reduce((sum, group) => sum + group.count, 0);
        assert.equal(operations, 600, groupsOf(snapshot).join('\n'));
        const exact = snapshot.tasks.filter(
          (task) => task.stack?.length && !task.stack.some((f) => f.inferred),
        );
        // Requests begun with stacks keep them to their wait, through the one the budget ran out in.
        const counted = /^(\d+) of 600 operations have exact stacks/.exec(snapshot.notes?.at(-1) ?? '');
        assert.ok(counted, String(snapshot.notes));
        assert.ok(Number(counted[1]) > 100, counted[0]);
        for (const task of exact.slice(0, 3))
          assert.deepEqual(
            task.stack?.map((frame) => frame.line),
            [at('budgetMidRequest', 'query'), at('budgetMidRequest', 'handle')],
          );
        const groups = groupsOf(snapshot);
        assert.equal(groups.length, 2, groups.join('\n'));
        assert.match(groups[0], /^\d+ × getOrder ← handle · new Promise — resolver not called yet$/);
        // Node 24+ gives the line of the immediate whose callback made them.
        assert.match(
          groups[1],
          /^\d+ × (\(no stack: the capture budget was spent\)|\(anonymous\) budgetMidRequest\.js:\d+) · not known: no stack was captured for it/,
        );
      }
    });

    it('a request begun past the budget whose wait got a stack once the budget refilled: one operation, exact', async () => {
      const snapshot = await operationsOf('budgetRefilledLater', node(), {
        ASYNC_TOOLKIT_CAPTURES_PER_SECOND: '1000',
      });
      assert.deepEqual(snapshot.tasks.map(shown), [
        {
          name: 'handle',
          stack: [
            `getOrder:${at('budgetRefilledLater', 'query')}`,
            `handle:${at('budgetRefilledLater', 'handle')}`,
          ],
          awaiting: 'new Promise — resolver not called yet',
        },
      ]);
    });

    it('leaves made one after another by plain functions are operations of their own; one made inside an executor is part of its outer one', async () => {
      const snapshot = await operationsOf('leavesInARow', node());
      const calls = `(anonymous):${at('leavesInARow', 'calls')}`;
      assert.deepEqual(
        snapshot.tasks.map((task) =>
          task.stack?.map((frame) => `${frame.functionName ?? '(anonymous)'}:${frame.line}`),
        ),
        [
          [`wait:${at('leavesInARow', 'wait')}`, calls],
          [`wait:${at('leavesInARow', 'wait')}`, calls],
          [`outerInner:${at('leavesInARow', 'outer') - 1}`, calls],
        ],
      );
    });

    it('the budget goes to what operations are made of: many `.then()` and timers leave a stack for the next operation', async () => {
      const snapshot = await operationsOf('budgetPriorities', node(), NO_REFILL);
      assert.deepEqual(snapshot.tasks.map(shown), [
        {
          name: 'handle',
          stack: [
            `waitForReply:${at('budgetPriorities', 'reply')}`,
            `handle:${at('budgetPriorities', 'handle')}`,
          ],
          awaiting: 'new Promise — resolver not called yet',
        },
      ]);
      assert.equal(snapshot.notes, undefined, 'every operation has an exact stack');
    });

    it('two calls written on one line, each waiting inside a call into Node: two operations', async () => {
      const snapshot = await operationsOf('sameLineCalls', node());
      const waiting = {
        name: 'waitForStart',
        stack: ['[runtime] once', `waitForStart:${at('sameLineCalls', 'waitForStart')}`],
        // One group holding both once-waits: both events, neither given to one wait.
        awaiting: "events.once(EventEmitter, 'start:a' or 'start:b')",
      };
      assert.deepEqual(snapshot.tasks.map(shown), [waiting, waiting]);
    });

    it('a rejected operation without a handler is over: only the waiting one is listed', async () => {
      const snapshot = await operationsOf('rejectedOperation', node());
      assert.deepEqual(snapshot.tasks.map(shown), [
        {
          name: 'keepWaiting',
          stack: [`keepWaiting:${at('rejectedOperation', 'keepWaiting')}`],
          awaiting: 'new Promise — resolver not called yet',
        },
      ]);
    });
  });
});

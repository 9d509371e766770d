import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { SNAPSHOT_FORMAT_VERSION, type Snapshot, type Task } from '../../../src/snapshot/format';
import { fixturesDir, lastJson, repositoryRoot, runFixture } from './runWithAgent';

const schema = JSON.parse(
  readFileSync(join(repositoryRoot, 'src', 'snapshot', 'snapshot.schema.json'), 'utf8'),
);
const validate = new Ajv({ allErrors: true }).compile(schema);
const hanging = join(fixturesDir, 'hangingFunctions.js');

function summarize(tasks: Task[]): string[] {
  return tasks
    .filter((task) => task.type === 'PROMISE')
    .map((task) => `${task.name} @${task.site?.line}`)
    .sort();
}

describe('Node agent: snapshot of a program with known pending promises', () => {
  let snapshot: Snapshot;
  before(async () => {
    // The parts of operations: promises and resources, by type (operations.test.ts has the default).
    snapshot = lastJson<Snapshot>(
      await runFixture('hangingFunctions.js', { args: [JSON.stringify({ groupBy: 'type' })] }),
    );
  });

  it('is a valid snapshot of the documented format', () => {
    assert.equal(validate(snapshot), true, JSON.stringify(validate.errors));
    assert.equal(snapshot.runtime, 'node');
    assert.equal(snapshot.version, SNAPSHOT_FORMAT_VERSION);
  });

  it('lists exactly the pending promises of the three hung fetchUser calls, with their sites', () => {
    assert.deepEqual(summarize(snapshot.tasks), [
      ...Array(3).fill('async fetchUser @10'),
      ...Array(3).fill('await in fetchUser @11'),
      ...Array(3).fill('new Promise in hangForever @8'),
    ]);
    for (const task of snapshot.tasks.filter((t) => t.type === 'PROMISE')) {
      assert.equal(task.site?.file, hanging);
      assert.equal(task.state, 'pending');
      assert.ok(task.stack && task.stack.length >= 2, 'creation stack with the caller');
    }
  });

  it('links each await to the promise it awaits', () => {
    const byId = new Map(snapshot.tasks.map((task) => [task.id, task]));
    const awaits = snapshot.tasks.filter((task) => task.name === 'await in fetchUser');
    assert.equal(awaits.length, 3);
    for (const awaiting of awaits) {
      assert.equal(byId.get(awaiting.parentId ?? '')?.name, 'new Promise in hangForever');
    }
  });

  it('groups by type with counts', () => {
    const labels = snapshot.groups?.map((group) => `${group.count} ${group.label}`);
    // Two timers: the program's interval and the HTTP server's own connection check.
    assert.deepEqual(labels, ['9 PROMISE', '2 Timeout', '1 TCPSERVERWRAP']);
  });

  it('lists the server and the ref’d interval as what keeps the process alive', () => {
    const handles = snapshot.handles?.map((handle) => `${handle.type} ${handle.description}`) ?? [];
    assert.ok(
      handles.some((line) => /^TCPSERVERWRAP server listening on 127\.0\.0\.1:\d+$/.test(line)),
      String(handles),
    );
    assert.ok(handles.includes('Timeout setInterval 60000 ms'), String(handles));
  });
});

describe('Node agent: ping', () => {
  it('says the agent is loaded, its mode, and why a bad mode was not used', async () => {
    const script = 'console.log(JSON.stringify(globalThis.__asyncToolkit.ping()))';
    const result = await runFixture('-e', { args: [script], env: { ASYNC_TOOLKIT_CREATION_STACKS: 'most' } });
    const ping = lastJson<{ version: string; pid: number; mode: string; warnings: string[] }>(result);
    assert.equal(ping.mode, 'sampled');
    assert.match(ping.version, /^\d+\.\d+\.\d+$/);
    assert.ok(ping.warnings.some((warning) => warning.includes('"most" is not one of all, sampled, off')));
  });
});

import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { type CdpConnection, connectCdp } from '../../../src/tasks/sources/node/cdpConnection';
import { takePromiseCensus } from '../../../src/tasks/sources/node/cdpPromiseCensus';

/**
 * A Node program under the inspector, holding promises the test adds through CDP. Ready once it has
 * printed the inspector's address and run its setup (the address comes first, before the script runs).
 */
function startInspectedProgram(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--inspect=127.0.0.1:0',
        '-e',
        "globalThis.held = [Promise.reject(new Error('x'))]; held[0].catch(() => {}); setInterval(() => {}, 1000); console.log('ready');",
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let url: string | undefined;
    let ready = false;
    const settle = () => {
      if (url && ready) resolve({ child, url });
    };
    child.stdout?.on('data', (chunk) => {
      ready ||= String(chunk).includes('ready');
      settle();
    });
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
      url ??= /ws:\/\/\S+/.exec(stderr)?.[0];
      settle();
    });
    child.on('exit', (code) => reject(new Error(`the program exited (${code}): ${stderr}`)));
  });
}

function stateCount(snapshot: Awaited<ReturnType<typeof takePromiseCensus>>, state: string): number {
  return snapshot.groups?.find((group) => group.id === `census:${state}`)?.count ?? 0;
}

describe('promise census over CDP (agent not loaded)', () => {
  let child: ChildProcess;
  let cdp: CdpConnection;
  before(async () => {
    const program = await startInspectedProgram();
    child = program.child;
    cdp = await connectCdp(program.url, 10_000);
  });
  after(() => {
    cdp?.close();
    child?.kill();
  });

  /**
   * A census once two in a row agree: Node's own promises of the program's start (the inspector's,
   * the module loader's) settle or are collected a little after it, and one came or went between two
   * censuses in clean-clone CI runs (pending 4 for 5, resolved 2 for 3).
   */
  async function settledCensus(): Promise<Awaited<ReturnType<typeof takePromiseCensus>>> {
    let previous = await takePromiseCensus(cdp.send, { maxExamined: 10_000 }, 'no agent');
    for (let attempt = 0; attempt < 20; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const next = await takePromiseCensus(cdp.send, { maxExamined: 10_000 }, 'no agent');
      const same = ['pending', 'resolved', 'rejected'].every(
        (state) => stateCount(next, state) === stateCount(previous, state),
      );
      if (same) return next;
      previous = next;
    }
    return previous;
  }

  it('counts exactly the pending and settled promises the program added', async () => {
    const before = await settledCensus();
    await cdp.send('Runtime.evaluate', {
      expression: [
        'for (let i = 0; i < 5; i++) held.push(new Promise(() => {}));',
        'for (let i = 0; i < 3; i++) held.push(Promise.resolve(i));',
      ].join('\n'),
    });
    const after = await settledCensus();
    assert.equal(after.error, 'no agent');
    assert.equal(stateCount(after, 'pending') - stateCount(before, 'pending'), 5);
    assert.equal(stateCount(before, 'rejected'), 1);
    assert.equal(stateCount(after, 'resolved') - stateCount(before, 'resolved'), 3);
  });

  it('reads the state of the first promises only and counts the rest', async () => {
    const census = await takePromiseCensus(cdp.send, { maxExamined: 2 }, 'no agent');
    const total = census.truncated?.totalTasks ?? 0;
    assert.ok(total > 2, `expected more than 2 promises, got ${total}`);
    const examined = ['pending', 'resolved', 'rejected'].reduce(
      (sum, state) => sum + stateCount(census, state),
      0,
    );
    assert.equal(examined, 2);
    assert.equal(census.groups?.find((group) => group.id === 'census:unexamined')?.count, total - 2);
  });
});

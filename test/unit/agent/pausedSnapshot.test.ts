import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Snapshot } from '../../../src/snapshot/format';
import {
  type CdpConnection,
  type CdpEventListener,
  connectCdp,
} from '../../../src/tasks/sources/node/cdpConnection';
import { markerLine } from './fixtureLines';
import { agentPath, fixturesDir } from './runWithAgent';

interface Paused {
  reason: string;
  callFrames: { callFrameId: string; functionName: string }[];
}

/** The debuggee's pauses in the order they come, whether or not a test waits for one yet. */
function pauseQueue(): { listener: CdpEventListener; next(): Promise<Paused> } {
  const arrived: Paused[] = [];
  const waiters: ((paused: Paused) => void)[] = [];
  return {
    listener: (method, params) => {
      if (method !== 'Debugger.paused') return;
      const waiter = waiters.shift();
      if (waiter) waiter(params as unknown as Paused);
      else arrived.push(params as unknown as Paused);
    },
    next: () => {
      const paused = arrived.shift();
      return paused ? Promise.resolve(paused) : new Promise((resolve) => waiters.push(resolve));
    },
  };
}

async function snapshotOnFrame(client: CdpConnection, paused: Paused): Promise<Snapshot> {
  const evaluated = (await client.send('Debugger.evaluateOnCallFrame', {
    callFrameId: paused.callFrames[0].callFrameId,
    expression: 'globalThis.__asyncToolkit.snapshotJson({ groupBy: "none" })',
    returnByValue: true,
  })) as { result: { value?: string }; exceptionDetails?: unknown };
  assert.equal(evaluated.exceptionDetails, undefined, JSON.stringify(evaluated.exceptionDetails));
  const snapshot = JSON.parse(evaluated.result.value as string) as Snapshot;
  assert.equal(snapshot.error, undefined);
  return snapshot;
}

function describeTasks(snapshot: Snapshot): string[] {
  return snapshot.tasks.map((task) => `${task.name} @${task.site?.line} ${task.state}`).sort();
}

/** A fixture of test/fixtures/agent run with the agent under `--inspect-brk`, a CDP client attached. */
async function launchPaused(fixture: string) {
  child = spawn(
    process.execPath,
    ['--inspect-brk=127.0.0.1:0', '--require', agentPath, join(fixturesDir, fixture)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    let stderr = '';
    child?.stderr?.on('data', (chunk) => {
      stderr += chunk;
      const match = /ws:\/\/\S+/.exec(stderr);
      if (match) resolve(match[0]);
    });
    child?.once('exit', () => reject(new Error(`the debuggee exited: ${stderr}`)));
  });
  const pauses = pauseQueue();
  const connected = await connectCdp(url, 10_000, pauses.listener);
  await connected.send('Runtime.enable');
  await connected.send('Debugger.enable');
  await connected.send('Runtime.runIfWaitingForDebugger');
  return { client: connected, pauses, stdout: () => stdout.trim() };
}

let child: ChildProcess | undefined;

describe('Node agent: snapshot while a debugger holds the program paused', () => {
  let client: CdpConnection | undefined;
  afterEach(() => {
    client?.close();
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('answers snapshotJson() evaluated on a paused frame, in sync code and inside a job, then lets the program finish', async () => {
    const started = await launchPaused('pausedAtDebugger.js');
    const { pauses } = started;
    client = started.client;
    const stdout = started.stdout;
    await pauses.next(); // --inspect-brk's first line
    await client.send('Debugger.resume');
    const paused = await pauses.next();
    assert.equal(paused.callFrames[0].functionName, 'main');

    const first = await snapshotOnFrame(client, paused);
    assert.deepEqual(describeTasks(first), [
      'async main @10 pending',
      'async waitForOrder @6 pending',
      'async waitForOrder @6 pending',
      'await in waitForOrder @7 pending',
      'await in waitForOrder @7 pending',
      'new Promise in waitForOrder @7 pending',
      'new Promise in waitForOrder @7 pending',
    ]);

    // Paused again inside the job that resumed main after `await null`: that await's promise is the
    // one running.
    await client.send('Debugger.resume');
    const second = await snapshotOnFrame(client, await pauses.next());
    assert.ok(describeTasks(second).includes('await in main @13 running'), describeTasks(second).join('\n'));

    const exited = new Promise((resolve) => child?.once('exit', resolve));
    await client.send('Debugger.resume');
    client.close();
    assert.equal(await exited, 0);
    assert.equal(stdout(), 'done 1,2');
  });

  it('says at the stop that work the program dropped just before it was dropped: the snapshot’s own collection finds it', async () => {
    const started = await launchPaused('droppedWhilePaused.js');
    client = started.client;
    await started.pauses.next(); // --inspect-brk's first line
    await client.send('Debugger.resume');
    const paused = await started.pauses.next();
    const evaluated = (await client.send('Debugger.evaluateOnCallFrame', {
      callFrameId: paused.callFrames[0].callFrameId,
      expression: 'globalThis.__asyncToolkit.snapshotJson()',
      returnByValue: true,
    })) as { result: { value?: string } };
    const snapshot = JSON.parse(evaluated.result.value as string) as Snapshot;
    assert.deepEqual(snapshot.tasks, [], 'nothing is pending any more');
    const line = markerLine('agent/droppedWhilePaused.js', 'waitForReply');
    assert.deepEqual(
      (snapshot.findings ?? []).map((finding) => [
        finding.kind,
        finding.site?.functionName,
        finding.site?.line,
      ]),
      [['orphan', 'waitForReply', line]],
    );
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    await client.send('Debugger.resume');
    client.close();
    assert.equal(await exited, 0);
    assert.equal(started.stdout(), 'done');
  });
});

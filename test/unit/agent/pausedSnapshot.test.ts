import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Snapshot } from '../../../src/snapshot/format';
import { agentPath, fixturesDir } from './runWithAgent';

/** A minimal Chrome DevTools Protocol client over the debuggee's inspector WebSocket. */
class CdpClient {
  private nextId = 0;
  private readonly waiting = new Map<
    number,
    (message: { result?: unknown; error?: { message: string } }) => void
  >();
  private readonly listeners: ((message: { method: string; params: unknown }) => void)[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.id !== undefined) this.waiting.get(message.id)?.(message);
      else for (const listener of this.listeners) listener(message);
    });
  }

  static async connect(url: string): Promise<CdpClient> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return new CdpClient(socket);
  }

  send<T>(method: string, params: object = {}): Promise<T> {
    const id = ++this.nextId;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (message) =>
        message.error ? reject(new Error(message.error.message)) : resolve(message.result as T),
      );
    });
  }

  nextEvent<T>(method: string): Promise<T> {
    return new Promise((resolve) => {
      const listener = (message: { method: string; params: unknown }) => {
        if (message.method !== method) return;
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        resolve(message.params as T);
      };
      this.listeners.push(listener);
    });
  }

  close(): void {
    this.socket.close();
  }
}

interface Paused {
  reason: string;
  callFrames: { callFrameId: string; functionName: string }[];
}

async function snapshotOnFrame(client: CdpClient, paused: Paused): Promise<Snapshot> {
  const evaluated = await client.send<{ result: { value?: string }; exceptionDetails?: unknown }>(
    'Debugger.evaluateOnCallFrame',
    {
      callFrameId: paused.callFrames[0].callFrameId,
      expression: 'globalThis.__asyncToolkit.snapshotJson({ groupBy: "none" })',
      returnByValue: true,
    },
  );
  assert.equal(evaluated.exceptionDetails, undefined, JSON.stringify(evaluated.exceptionDetails));
  const snapshot = JSON.parse(evaluated.result.value as string) as Snapshot;
  assert.equal(snapshot.error, undefined);
  return snapshot;
}

function describeTasks(snapshot: Snapshot): string[] {
  return snapshot.tasks.map((task) => `${task.name} @${task.site?.line} ${task.state}`).sort();
}

describe('Node agent: snapshot while a debugger holds the program paused', () => {
  let child: ChildProcess | undefined;
  let client: CdpClient | undefined;
  afterEach(() => {
    client?.close();
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('answers snapshotJson() evaluated on a paused frame, in sync code and inside a job, then lets the program finish', async () => {
    child = spawn(
      process.execPath,
      ['--inspect-brk=127.0.0.1:0', '--require', agentPath, join(fixturesDir, 'pausedAtDebugger.js')],
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
    client = await CdpClient.connect(url);
    await client.send('Runtime.enable');
    await client.send('Debugger.enable');
    const startPause = client.nextEvent<Paused>('Debugger.paused');
    await client.send('Runtime.runIfWaitingForDebugger');
    await startPause;
    const debuggerPause = client.nextEvent<Paused>('Debugger.paused');
    await client.send('Debugger.resume');
    const paused = await debuggerPause;
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
    const secondPause = client.nextEvent<Paused>('Debugger.paused');
    await client.send('Debugger.resume');
    const second = await snapshotOnFrame(client, await secondPause);
    assert.ok(describeTasks(second).includes('await in main @13 running'), describeTasks(second).join('\n'));

    const exited = new Promise((resolve) => child?.once('exit', resolve));
    await client.send('Debugger.resume');
    client.close();
    assert.equal(await exited, 0);
    assert.equal(stdout.trim(), 'done 1,2');
  });
});

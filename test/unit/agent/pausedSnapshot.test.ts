import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Snapshot } from '../../../src/tasks/model';
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

describe('Node agent: snapshot while a debugger holds the program paused', () => {
  let child: ChildProcess | undefined;
  let client: CdpClient | undefined;
  afterEach(() => {
    client?.close();
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('answers snapshotJson() evaluated on the paused frame, then lets the program finish', async () => {
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

    const evaluated = await client.send<{ result: { value?: string }; exceptionDetails?: unknown }>(
      'Debugger.evaluateOnCallFrame',
      {
        callFrameId: paused.callFrames[0].callFrameId,
        expression: 'globalThis.__asyncToolkit.snapshotJson()',
        returnByValue: true,
      },
    );
    assert.equal(evaluated.exceptionDetails, undefined, JSON.stringify(evaluated.exceptionDetails));
    const snapshot = JSON.parse(evaluated.result.value as string) as Snapshot;
    assert.equal(snapshot.error, undefined);
    const names = snapshot.tasks.map((task) => `${task.name} @${task.site?.line}`).sort();
    assert.deepEqual(names, [
      'async main @9',
      'async waitForOrder @5',
      'async waitForOrder @5',
      'await in waitForOrder @6',
      'await in waitForOrder @6',
      'new Promise in waitForOrder @6',
      'new Promise in waitForOrder @6',
    ]);

    const exited = new Promise((resolve) => child?.once('exit', resolve));
    await client.send('Debugger.resume');
    client.close();
    assert.equal(await exited, 0);
    assert.equal(stdout.trim(), 'done 1,2');
  });
});

// The server and client as a user runs them: real processes, real sockets, real signals.
//   npm test      (builds, then runs this file from dist/)
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// This file runs compiled (dist/test/echo.test.js) or as TypeScript with Node's type stripping.
const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const program = (name: string) => fileURLToPath(new URL(`../src/${name}${extension}`, import.meta.url));
// Generous: these run on busy CI machines; a passing test never waits this long.
const TIMEOUT_MS = 60_000;

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

function collect(child: ChildProcess): Promise<Finished> {
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(stdout), stderr }));
  });
}

class Server {
  readonly process: ChildProcess;
  readonly finished: Promise<Finished>;
  private log = '';

  private constructor(process: ChildProcess) {
    this.process = process;
    process.stderr?.on('data', (chunk: Buffer) => {
      this.log += chunk.toString();
    });
    this.finished = collect(process);
  }

  static async start(options: { processGroup?: boolean } = {}): Promise<{ server: Server; port: number }> {
    const child = spawn(process.execPath, [program('server'), '--port', '0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: options.processGroup ?? false,
    });
    const server = new Server(child);
    const port = Number((await server.waitForLog(/listening on [^ ]+:(\d+)/))[1]);
    return { server, port };
  }

  async waitForLog(pattern: RegExp): Promise<RegExpMatchArray> {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const match = this.log.match(pattern);
      if (match) return match;
      if (this.process.exitCode !== null || Date.now() > deadline)
        assert.fail(`no log line matches ${pattern}:\n${this.log}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Finished> {
    this.process.kill(signal);
    return this.finished;
  }

  kill(): void {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
  }
}

async function openSocket(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  return socket;
}

/** Sends `payload`, ends our side, and returns everything echoed until the server ends its side. */
async function echoThrough(socket: Socket, payload: Buffer): Promise<Buffer> {
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.end(payload);
  await once(socket, 'close');
  return Buffer.concat(received);
}

/** The next `length` bytes from `socket`, leaving it open (breaking out of `for await` would destroy it). */
function readExactly(socket: Socket, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= length) finish();
    };
    const onEnd = () => finish(new Error(`connection ended after ${total} of ${length} bytes`));
    const finish = (error?: Error) => {
      socket.off('data', onData).off('end', onEnd).off('error', finish).pause();
      if (error) reject(error);
      else resolve(Buffer.concat(chunks).subarray(0, length));
    };
    socket.on('data', onData).on('end', onEnd).on('error', finish).resume();
  });
}

function runClient(port: number, args: string[], input: Buffer = Buffer.alloc(0)): Promise<Finished> {
  const child = spawn(process.execPath, [program('client'), '--port', String(port), ...args]);
  child.stdin.end(input);
  return collect(child);
}

async function unusedPort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  assert.ok(address && typeof address === 'object');
  return address.port;
}

describe('echo server and client', { timeout: TIMEOUT_MS * 2 }, () => {
  const started: Server[] = [];
  const startServer = async (options?: { processGroup?: boolean }) => {
    const result = await Server.start(options);
    started.push(result.server);
    return result;
  };
  after(() => {
    for (const server of started) server.kill();
  });

  it('echoes binary data exactly', async () => {
    const { port } = await startServer();
    const payload = randomBytes(4 * 1024 * 1024);
    assert.ok((await echoThrough(await openSocket(port), payload)).equals(payload));
  });

  it('serves many clients at once', async () => {
    const { port } = await startServer();
    const sockets = await Promise.all(Array.from({ length: 200 }, () => openSocket(port)));
    const payloads = sockets.map(() => randomBytes(1024));
    // Everyone sends before anyone reads: a server that served one client at a time would stall here.
    for (const [index, socket] of sockets.entries()) socket.write(payloads[index]);
    const echoes = await Promise.all(
      sockets.map((socket, index) => readExactly(socket, payloads[index].length)),
    );
    for (const [index, echo] of echoes.entries()) assert.ok(echo.equals(payloads[index]));
    for (const socket of sockets) socket.destroy();
  });

  it('logs connects and disconnects with ids', async () => {
    const { server, port } = await startServer();
    await echoThrough(await openSocket(port), Buffer.from('one'));
    await echoThrough(await openSocket(port), Buffer.from('two'));
    await server.waitForLog(/connection 1\b.*opened/);
    await server.waitForLog(/connection 2\b.*opened/);
    await server.waitForLog(/connection 1\b.*closed/);
    await server.waitForLog(/connection 2\b.*closed/);
  });

  it('client prints the echo of each line and exits at the end of input', async () => {
    const { port } = await startServer();
    const result = await runClient(port, [], Buffer.from('hello\n'));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.toString(), 'hello\n');
  });

  it('client round-trips binary input unchanged', async () => {
    const { port } = await startServer();
    const payload = randomBytes(300_000);
    const result = await runClient(port, [], payload);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.equals(payload));
  });

  it('client repeats a message like the seed sender', async () => {
    const { port } = await startServer();
    const result = await runClient(port, ['--repeat', '3', '--interval', '0.01', '--message', 'ping']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.toString(), 'ping\n'.repeat(3));
  });

  it('client reports a refused connection in one line', async () => {
    const result = await runClient(await unusedPort(), [], Buffer.from('hello\n'));
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /^client: [^\n]*refused\n$/);
  });

  it('server reports a port in use in one line', async () => {
    const { port } = await startServer();
    const second = spawn(process.execPath, [program('server'), '--port', String(port)]);
    const result = await collect(second);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /^server: [^\n]*in use\n$/);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} closes connections and exits 0`, async () => {
      const { server, port } = await startServer();
      const socket = await openSocket(port);
      socket.on('error', () => {}); // a reset is also a close
      socket.write('before');
      assert.equal((await readExactly(socket, 6)).toString(), 'before');
      const closed = once(socket, 'close');
      const result = await server.stop(signal);
      assert.equal(result.code, 0, result.stderr);
      await closed;
      await server.waitForLog(/shutting down/);
    });
  }

  it('signals to the whole process group during shutdown keep exit status 0', async () => {
    // What a terminal's Ctrl+C, a supervisor, or `npm run` forwarding a signal does: several signals at once.
    const { server, port } = await startServer({ processGroup: true });
    const socket = await openSocket(port);
    socket.on('error', () => {});
    const pid = server.process.pid ?? assert.fail('no pid');
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGINT', 'SIGTERM'] as const) process.kill(-pid, signal);
    const result = await server.finished;
    assert.equal(result.code, 0, result.stderr);
  });

  it('a second signal at any moment of shutdown keeps exit status 0', async () => {
    // 0–7 ms after the first: some land while connections close, some while Node itself exits.
    for (let delayMs = 0; delayMs < 8; delayMs++) {
      const { server } = await startServer();
      server.process.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      server.process.kill('SIGTERM');
      const result = await server.finished;
      assert.deepEqual([result.code, result.signal, delayMs], [0, null, delayMs], result.stderr);
    }
  });

  it('a client that never reads cannot make the server buffer without bound', async () => {
    const { server, port } = await startServer();
    const greedy = await openSocket(port);
    greedy.on('error', () => {});
    greedy.pause(); // never read
    const chunk = Buffer.alloc(1024 * 1024);
    // Write until the server stops taking bytes (it waits for us to read) or far more than any sensible
    // buffer would hold. bytesWritten counts what the kernel accepted.
    while (greedy.bytesWritten < 256 * chunk.length) {
      if (!greedy.write(chunk)) {
        const drained = await Promise.race([
          once(greedy, 'drain').then(() => true),
          new Promise((resolve) => setTimeout(resolve, 2000, false)),
        ]);
        if (!drained) break;
      }
    }
    const accepted = greedy.bytesWritten - greedy.writableLength;
    assert.ok(
      accepted < 64 * chunk.length,
      `the server took ${accepted >> 20} MiB from a client that never reads`,
    );
    // The stalled connection holds up no one else, and does not hold up shutdown.
    const other = await openSocket(port);
    assert.equal((await echoThrough(other, Buffer.from('still serving'))).toString(), 'still serving');
    assert.equal((await server.stop()).code, 0);
    greedy.destroy();
  });
});

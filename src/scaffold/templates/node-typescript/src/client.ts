// Echo client: sends standard input to the server as it arrives (a line at a time from a terminal) and
// prints what comes back; at the end of input it ends its side of the connection and exits once every
// byte has come back.
//   node dist/src/client.js [--host 127.0.0.1] [--port 12345] [--repeat N --interval S] [--wait S]
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ClientOptions, parseClientOptions, UsageError } from './options.ts';

const RETRY_DELAY_MS = 200;

class EchoIncomplete extends Error {}

/** Resolves once `stream` can take more data, or is closed. */
function writable(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

async function openConnection(options: ClientOptions): Promise<Socket> {
  const deadline = Date.now() + options.waitSeconds * 1000;
  for (;;) {
    // allowHalfOpen: when the server ends its side first, ours stays open (we decide when we are done).
    const socket = connect({ host: options.host, port: options.port, allowHalfOpen: true });
    try {
      await once(socket, 'connect');
      return socket;
    } catch (error) {
      socket.destroy();
      if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED' || Date.now() >= deadline) throw error;
    }
    await sleep(RETRY_DELAY_MS);
  }
}

async function* repeat(message: Buffer, count: number, intervalSeconds: number): AsyncGenerator<Buffer> {
  for (let index = 0; index < count; index++) {
    if (index) await sleep(intervalSeconds * 1000);
    yield message;
  }
}

async function run(options: ClientOptions): Promise<void> {
  const socket = await openConnection(options);
  const input =
    options.repeat === undefined
      ? (process.stdin as AsyncIterable<Buffer>)
      : repeat(Buffer.from(`${options.message}\n`), options.repeat, options.intervalSeconds);
  let sent = 0;
  let received = 0;
  let inputFinished = false;
  const allEchoed = () => inputFinished && received >= sent;

  const send = async () => {
    for await (const chunk of input) {
      if (socket.destroyed) return;
      if (!socket.write(chunk)) await writable(socket);
      sent += chunk.length;
    }
    inputFinished = true;
    socket.end(); // half-close: the server echoes what is left, then ends its side
  };

  const receive = async () => {
    for await (const chunk of socket as AsyncIterable<Buffer>) {
      if (!process.stdout.write(chunk)) await writable(process.stdout);
      received += chunk.length;
      if (allEchoed()) return;
    }
    if (!allEchoed())
      throw new EchoIncomplete(`the server closed the connection after ${received} of ${sent} bytes`);
  };

  try {
    // Sender and receiver run side by side; the first failure ends both.
    await Promise.all([send(), receive()]);
  } finally {
    socket.destroy();
    // Stop reading standard input (a terminal would otherwise keep the program alive).
    process.stdin.destroy();
  }
}

function describe(error: unknown, where: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return `cannot connect to ${where}: connection refused`;
  if (error instanceof EchoIncomplete) return `${where}: ${error.message}`;
  return `connection to ${where} lost: ${(error as Error).message}`;
}

async function main(): Promise<number> {
  let options: ClientOptions;
  try {
    options = parseClientOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(
      `client: ${error.message}\nUsage: client [--host HOST] [--port PORT] [--repeat N] [--interval S] [--message TEXT] [--wait S]\n`,
    );
    return 2;
  }
  try {
    await run(options);
    return 0;
  } catch (error) {
    process.stderr.write(`client: ${describe(error, `${options.host}:${options.port}`)}\n`);
    return 1;
  }
}

main().then((code) => {
  process.exitCode = code;
});

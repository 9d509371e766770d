// TCP on 127.0.0.1 for tests that start servers: a port to give them, and a connection once they listen.
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { type WaitOptions, waitUntil } from './waitUntil';

/** A port nothing listened on a moment ago (the system picked it), for a server the test starts next. */
export async function unusedPort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (!address || typeof address !== 'object') throw new Error('the system gave no port');
  return address.port;
}

/** Connects to 127.0.0.1:`port`; rejects when nothing accepts. */
export async function openSocket(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  try {
    await once(socket, 'connect');
    return socket;
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

/**
 * Connects as soon as something listens on the port (a server that was just started, perhaps under a
 * debugger) and resolves with the open socket. `stillRunning` ends the wait early when the server is gone.
 */
export function connectOnceListening(
  port: number,
  options: WaitOptions & { stillRunning?: () => boolean } = {},
): Promise<Socket> {
  const { stillRunning = () => true, ...wait } = options;
  return waitUntil(
    `something to listen on 127.0.0.1:${port}`,
    () => {
      if (!stillRunning()) throw new Error(`the program exited before listening on 127.0.0.1:${port}`);
      return openSocket(port).catch(() => undefined);
    },
    wait,
  );
}

/** Resolves once something accepts connections on the port (for servers that log nothing useful). */
export async function waitForPort(
  port: number,
  options: WaitOptions & { stillRunning?: () => boolean } = {},
): Promise<void> {
  (await connectOnceListening(port, options)).destroy();
}

// A minimal Chrome DevTools Protocol client over one WebSocket: numbered requests, matched replies,
// a deadline on each, and events only for a caller that asks (the census only asks questions; the
// agent's tests resume the pauses a debugger's attach brings, as js-debug does).
import type WebSocketClass from 'ws';
import type { CdpSend } from './cdpPromiseCensus';

export interface CdpConnection {
  send: CdpSend;
  close(): void;
}

/** Called with each event (a message without an id), such as `Debugger.paused`. */
export type CdpEventListener = (method: string, params: Record<string, unknown>) => void;

export function connectCdp(
  url: string,
  timeoutMs: number,
  onEvent?: CdpEventListener,
): Promise<CdpConnection> {
  // Loaded on first use, not at activation: the CDP fallback is rare and `ws` is half the bundle.
  const WebSocket: typeof WebSocketClass = require('ws');
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    const pending = new Map<
      number,
      { resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void }
    >();
    let nextId = 1;
    const failAll = (error: Error) => {
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    };
    const openTimer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`The CDP connection to ${url} did not open within ${timeoutMs / 1000} s.`));
    }, timeoutMs);
    socket.on('message', (data) => {
      let message: {
        id?: number;
        method?: string;
        params?: Record<string, unknown>;
        result?: Record<string, unknown>;
        error?: { message: string };
      };
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      if (message.id === undefined) {
        if (onEvent !== undefined && message.method !== undefined)
          onEvent(message.method, message.params ?? {});
        return;
      }
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`CDP: ${message.error.message}`));
      else waiter.resolve(message.result ?? {});
    });
    socket.on('error', (error) => {
      clearTimeout(openTimer);
      failAll(error);
      reject(error);
    });
    socket.on('close', () => failAll(new Error('The CDP connection closed.')));
    socket.on('open', () => {
      clearTimeout(openTimer);
      const send: CdpSend = (method, params = {}) =>
        new Promise((resolveRequest, rejectRequest) => {
          const id = nextId++;
          const timer = setTimeout(() => {
            pending.delete(id);
            rejectRequest(new Error(`CDP ${method} did not answer within ${timeoutMs / 1000} s.`));
          }, timeoutMs);
          pending.set(id, {
            resolve: (value) => {
              clearTimeout(timer);
              resolveRequest(value);
            },
            reject: (error) => {
              clearTimeout(timer);
              rejectRequest(error);
            },
          });
          socket.send(JSON.stringify({ id, method, params }));
        });
      resolve({ send, close: () => socket.close() });
    });
  });
}

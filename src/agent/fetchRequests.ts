// What a pending `fetch` asks for and how far it got: `fetch GET http://127.0.0.1:8080/stock/7 — waiting
// for response headers`. Node's fetch is undici, which publishes each request on `node:diagnostics_channel`
// (`undici:request:create`, `…:headers`, `…:trailers`, `…:error`; all four on Node 18–26, and the npm
// package `undici` publishes on the same channels). Subscribing calls no code of the program's: the
// channels are Node's, the messages undici's own objects.
//
// Tying a request to the promise an operation waits on: undici's fetch calls its dispatcher inside the
// executor of a `new Promise` (the "dispatcher's promise", which nestedWaits.ts makes part of the fetch's
// own), and the dispatcher publishes `undici:request:create` synchronously from there, before any other
// promise is made — measured on Node 18–26 (test/unit/agent/fetchRequests.test.ts). That `new Promise`
// is the promise tracker's executor leaf at that moment; one with no captured stack (past the capture
// budget) gets no request, and its operation says `fetch()` as before.
//
// A perfect guest: the request's method, origin and path are read as own data properties (never a
// getter), and kept as one string on the agent's record; the request object itself is a key of a
// WeakMap only, to move the phase on. Every subscriber swallows what it throws — diagnostics_channel
// would report it as the program's uncaught exception.

import type { CreationRecord, FetchRequest } from './creationRecord';
import { ReflectGetOwnPropertyDescriptor, SafeWeakMap, sliceOf } from './intrinsics';

/** The channels used, and `diagnostics_channel.subscribe` (Node 18.7+), taken when the agent loads. */
const CREATE = 'undici:request:create';
const HEADERS = 'undici:request:headers';
const ENDS = ['undici:request:trailers', 'undici:request:error'];

type Subscribe = (name: string, listener: (message: unknown) => void) => void;

function stringProperty(target: unknown, key: string): string | undefined {
  if (typeof target !== 'object' || target === null) return undefined;
  const descriptor = ReflectGetOwnPropertyDescriptor(target, key);
  return descriptor !== undefined && 'value' in descriptor && typeof descriptor.value === 'string'
    ? descriptor.value
    : undefined;
}

/** The `request` of a channel's message, read as data. */
function requestOf(message: unknown): object | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const descriptor = ReflectGetOwnPropertyDescriptor(message, 'request');
  const value = descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
  return typeof value === 'object' && value !== null ? value : undefined;
}

/** Longest URL kept: a signed URL can be kilobytes long, and a snapshot shows hundreds of rows. */
const MAX_URL = 300;

/** `GET http://127.0.0.1:8080/stock/7`, or undefined when the request does not look like undici's. */
function requestText(request: object): string | undefined {
  const method = stringProperty(request, 'method');
  const origin = stringProperty(request, 'origin');
  const path = stringProperty(request, 'path');
  if (method === undefined || origin === undefined || path === undefined) return undefined;
  const url = `${origin}${path}`;
  // In a diagnostics-channel callback, in the program's time: the slice as it was at load.
  return `${method} ${url.length > MAX_URL ? `${sliceOf(url, 0, MAX_URL)}…` : url}`;
}

/**
 * Subscribes once, at load. `executorLeaf` is the promise tracker's: the `new Promise` whose executor
 * runs now, if it captured a stack.
 */
export function followFetchRequests(
  diagnosticsChannel: { subscribe?: unknown } | undefined,
  executorLeaf: () => CreationRecord | undefined,
): boolean {
  const subscribe = diagnosticsChannel?.subscribe;
  if (typeof subscribe !== 'function') return false;
  const requests: WeakMap<object, FetchRequest> = new SafeWeakMap();
  const onCreate = (message: unknown) => {
    try {
      const leaf = executorLeaf();
      if (leaf === undefined || leaf.request !== undefined) return;
      const request = requestOf(message);
      const text = request && requestText(request);
      if (request === undefined || text === undefined) return;
      const found: FetchRequest = { text, phase: 'waiting for response headers' };
      leaf.request = found;
      requests.set(request, found);
    } catch {}
  };
  const moveTo = (phase: FetchRequest['phase']) => (message: unknown) => {
    try {
      const request = requestOf(message);
      const found = request && requests.get(request);
      if (found !== undefined) found.phase = phase;
    } catch {}
  };
  try {
    const call = subscribe as Subscribe;
    call(CREATE, onCreate);
    call(HEADERS, moveTo('reading the body'));
    for (const name of ENDS) call(name, moveTo('done'));
    return true;
  } catch {
    return false;
  }
}

/**
 * `fetch GET http://…/stock/7 — waiting for response headers`, and its general form for groups.
 * @param call what the program called: `fetch`, or `undici.request()` (the npm package's, same channels)
 */
export function fetchAwaiting(
  request: FetchRequest,
  call = 'fetch',
): { text: string; kind: string } | undefined {
  if (request.phase === 'done') return undefined;
  return { text: `${call} ${request.text} — ${request.phase}`, kind: `${call} — ${request.phase}` };
}

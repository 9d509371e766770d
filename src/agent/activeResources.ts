// What keeps the event loop alive, found at snapshot time: libuv handles (servers, sockets, child
// processes, TTYs), requests in flight (file system, DNS), and timers. Node has no public API that
// returns these objects (only `process.getActiveResourcesInfo()`, their type names), so the agent uses
// the long-standing `process._getActiveHandles()` / `_getActiveRequests()` and finds timers on the heap
// by their prototype. Every read goes through nativeReads.ts, so no program code runs (a subclass's
// `address()` or getter is not called), and is guarded: on a Node where a detail is missing, that
// detail is.

import { baseName } from './groupTasks';
import { activeHandles, activeRequests, SafeWeakMap } from './intrinsics';
import { callNative, constructorName, ownSymbolValue, readProperty } from './nativeReads';

export interface ActiveResource {
  /** The object whose record (if any) the resource tracker stamped. */
  recordHolder: object;
  /** `async_hooks` type name: TCPSERVERWRAP, TCPWRAP, PIPEWRAP, PROCESSWRAP, Timeout, FSREQCALLBACK, … */
  type: string;
  description: string;
  /** Whether it keeps the process alive (ref'd and active). */
  keepsAlive: boolean;
  asyncId?: number;
  triggerAsyncId?: number;
  /** A connected socket's peer (`127.0.0.1:4711`). */
  peer?: string;
  /** The HTTP request a client socket carries (`GET /job/3`). */
  request?: string;
  /** A timer as a wait: `setTimeout 5000 ms`. */
  timer?: string;
}

/** Handles and requests, described. Timers are found separately (`describeTimer`). */
export function listHandlesAndRequests(): ActiveResource[] {
  const found: ActiveResource[] = [];
  let handles: unknown[] = [];
  let requests: unknown[] = [];
  try {
    handles = activeHandles();
  } catch {}
  try {
    requests = activeRequests();
  } catch {}
  for (const handle of handles) {
    if (handle === null || typeof handle !== 'object') continue;
    try {
      const described = describeHandle(handle);
      if (described) found.push(described);
    } catch {}
  }
  for (const request of requests) {
    if (request === null || typeof request !== 'object') continue;
    const name = constructorName(request);
    found.push({
      recordHolder: request,
      type: name ? name.toUpperCase() : 'REQUEST',
      description: `${name ?? 'request'} in flight`,
      keepsAlive: true,
      ...asyncIdsOfWrap(request),
    });
  }
  return found;
}

/** A libuv wrap's address, from its native `getsockname` / `getpeername`. */
function wrapAddress(wrap: object | undefined, method: 'getsockname' | 'getpeername'): string | undefined {
  if (wrap === undefined) return undefined;
  const out: { address?: unknown; port?: unknown } = {};
  const status = callNative(wrap, method, [out]);
  if (status !== 0) return undefined;
  return formatEndpoint(out.address, out.port);
}

interface Endpoints {
  local?: string;
  remote?: string;
}

const NO_ENDPOINTS: Endpoints = {};

/**
 * The addresses of each connected TCP wrap, asked once: they cannot change once the socket has a peer,
 * and each ask is a system call (two per socket, for a thousand sockets in every snapshot otherwise).
 * Weak, so a closed socket's wrap is collected as before.
 */
const connectedEndpoints: WeakMap<object, Endpoints> = new SafeWeakMap();

function endpointsOf(wrap: object): Endpoints {
  const known = connectedEndpoints.get(wrap);
  if (known !== undefined) return known;
  const local = wrapAddress(wrap, 'getsockname');
  const remote = wrapAddress(wrap, 'getpeername');
  const endpoints: Endpoints = { local, remote };
  // Before it connects a socket has no peer, and its local address is not final yet.
  if (remote !== undefined && local !== undefined) connectedEndpoints.set(wrap, endpoints);
  return endpoints;
}

/**
 * A stream's libuv wrap. Servers keep it in `_handle`; sockets behind a JavaScript getter
 * (`get _handle() { return this[kHandle]; }`), which a subclass could replace, so their own
 * `kHandle` field is read instead.
 */
function wrapOf(handle: object): unknown {
  return readProperty(handle, '_handle') ?? ownSymbolValue(handle, 'kHandle');
}

/** A socket's peer, and whether a server accepted it (Node sets `_server` then, 18–26). */
export interface SocketPeer {
  peer: string;
  accepted: boolean;
}

/**
 * The peer of a `net.Socket` or `tls.TLSSocket` (or a subclass), asked of its TCP wrap as for the
 * handles listed (native `getpeername`, remembered per wrap), else from `_peername`, which Node caches
 * once the program asked `remoteAddress`. undefined for a socket that is not connected over TCP or
 * hides its fields.
 */
export function socketPeer(socket: object): SocketPeer | undefined {
  let wrap = wrapOf(socket);
  // A TLS socket's wrap is a TLSWrap, whose `getpeername` is JavaScript forwarding to the TCP wrap it
  // keeps in `_parent` (Node 18–26).
  if (constructorName(wrap) === 'TLSWrap') wrap = readProperty(wrap, '_parent');
  let peer: string | undefined;
  if (wrap !== null && typeof wrap === 'object' && constructorName(wrap) === 'TCP')
    peer = endpointsOf(wrap).remote;
  if (peer === undefined) {
    const cached = readProperty(socket, '_peername');
    peer = formatEndpoint(readProperty(cached, 'address'), readProperty(cached, 'port'));
  }
  if (peer === undefined) return undefined;
  // A TLS server's socket is made over the net.Socket its server accepted, its `_parent`.
  const server = readProperty(socket, '_server') ?? readProperty(readProperty(socket, '_parent'), '_server');
  return { peer, accepted: typeof server === 'object' && server !== null };
}

function describeHandle(handle: object): ActiveResource | undefined {
  const inner = wrapOf(handle);
  const wrap = inner !== null && typeof inner === 'object' ? inner : handle;
  const wrapName = constructorName(wrap);
  const ownName = constructorName(handle);
  const keepsAlive = hasRef(wrap);
  const ids = asyncIdsOfWrap(wrap);
  if (ownName === 'ChildProcess') {
    const pid = readProperty(handle, 'pid');
    const spawnfile = readProperty(handle, 'spawnfile');
    // The program's name, not its path: a side bar has room for `node (pid 7277)`.
    const file = typeof spawnfile === 'string' ? baseName(spawnfile) : 'child process';
    return {
      recordHolder: wrap,
      type: 'PROCESSWRAP',
      description: `child process ${file}${typeof pid === 'number' ? ` (pid ${pid})` : ''}`,
      keepsAlive,
      ...ids,
    };
  }
  if (ownName === 'Server' || typeof readProperty(handle, 'listen') === 'function') {
    const pipe = wrapName === 'Pipe';
    const address = pipe ? undefined : wrapAddress(wrap, 'getsockname');
    return {
      recordHolder: wrap,
      type: pipe ? 'PIPESERVERWRAP' : 'TCPSERVERWRAP',
      description: `server listening on ${address ?? (pipe ? 'a pipe' : 'an unknown address')}`,
      keepsAlive,
      ...ids,
    };
  }
  const fd = readProperty(wrap, 'fd');
  if (wrapName === 'TTY' || readProperty(handle, 'isTTY') === true) {
    const ownFd = readProperty(handle, 'fd');
    const number = typeof ownFd === 'number' ? ownFd : fd;
    const name =
      number === 0 ? 'stdin' : number === 1 ? 'stdout' : number === 2 ? 'stderr' : `fd ${String(number)}`;
    return { recordHolder: wrap, type: 'TTYWRAP', description: `terminal ${name}`, keepsAlive, ...ids };
  }
  if (wrapName === 'Pipe' && (fd === 0 || fd === 1 || fd === 2)) {
    const name = fd === 0 ? 'stdin' : fd === 1 ? 'stdout' : 'stderr';
    return { recordHolder: wrap, type: 'PIPEWRAP', description: `${name} (pipe)`, keepsAlive, ...ids };
  }
  if (wrapName === 'TCP' || wrapName === 'Pipe' || ownName === 'Socket') {
    const pipe = wrapName === 'Pipe';
    const { local, remote } = pipe ? NO_ENDPOINTS : endpointsOf(wrap);
    const unnamed = pipe ? (typeof fd === 'number' && fd >= 0 ? `fd ${fd}` : 'unnamed') : 'not connected';
    const where = remote ? `${local ?? '?'} → ${remote}` : (local ?? unnamed);
    const message = readProperty(handle, '_httpMessage');
    const request = requestLine(message);
    const serving = request === undefined ? servedRequestLine(message) : undefined;
    const carries = request ?? (serving && `serving ${serving}`);
    const described: ActiveResource = {
      recordHolder: wrap,
      type: pipe ? 'PIPEWRAP' : 'TCPWRAP',
      description: `${pipe ? 'pipe' : 'socket'} ${where}${carries ? ` · ${carries}` : ''}`,
      keepsAlive,
      ...ids,
    };
    if (remote) described.peer = remote;
    if (request) described.request = request;
    return described;
  }
  if (wrapName === 'UDP') {
    return { recordHolder: wrap, type: 'UDPWRAP', description: 'UDP socket', keepsAlive, ...ids };
  }
  const name = wrapName ?? ownName ?? 'handle';
  return { recordHolder: wrap, type: name.toUpperCase(), description: name, keepsAlive, ...ids };
}

/** A live `Timeout` object as a resource, or undefined when it was cleared or has fired for good. */
export function describeTimer(timer: object): ActiveResource | undefined {
  const idleTimeout = readProperty(timer, '_idleTimeout');
  if (readProperty(timer, '_destroyed') === true || typeof idleTimeout !== 'number' || idleTimeout < 0)
    return undefined;
  const repeat = typeof readProperty(timer, '_repeat') === 'number';
  const onTimeout = readProperty(timer, '_onTimeout');
  const callbackName = typeof onTimeout === 'function' ? readProperty(onTimeout, 'name') : undefined;
  const callback = typeof callbackName === 'string' && callbackName ? callbackName : undefined;
  // `hasRef()` is JavaScript a program could replace; Node keeps the answer in a symbol-keyed field.
  const keepsAlive = ownSymbolValue(timer, 'refed') !== false;
  const asyncId = ownSymbolValue(timer, 'asyncId');
  const triggerAsyncId = ownSymbolValue(timer, 'triggerId');
  const resource: ActiveResource = {
    recordHolder: timer,
    timer: `${repeat ? 'setInterval' : 'setTimeout'} ${idleTimeout} ms`,
    type: 'Timeout',
    description: `${repeat ? 'setInterval' : 'setTimeout'} ${idleTimeout} ms${callback ? ` → ${callback}()` : ''}${keepsAlive ? '' : ' (unref)'}`,
    keepsAlive,
  };
  if (typeof asyncId === 'number') resource.asyncId = asyncId;
  if (typeof triggerAsyncId === 'number') resource.triggerAsyncId = triggerAsyncId;
  return resource;
}

/** Request lines are cut here: a row has no room for a long query string. */
const MAX_REQUEST_LINE = 120;

const cutLine = (line: string) =>
  line.length > MAX_REQUEST_LINE ? `${line.slice(0, MAX_REQUEST_LINE - 1)}…` : line;

/** `GET /job/3` from an `http.ClientRequest`'s data properties; undefined for anything else. */
function requestLine(message: unknown): string | undefined {
  if (message === null || typeof message !== 'object') return undefined;
  const method = readProperty(message, 'method');
  // An own field before Node 24; a getter over the `kPath` field from then on.
  const ownPath = readProperty(message, 'path');
  const path = ownPath === undefined ? ownSymbolValue(message, 'kPath') : ownPath;
  return typeof method === 'string' && typeof path === 'string' ? cutLine(`${method} ${path}`) : undefined;
}

/**
 * `GET /orders/1`: the request a server answers on a socket. Node's HTTP server puts the response it
 * writes next on the socket (`_httpMessage`, an `http.ServerResponse`) until the response ends, and the
 * response keeps its request (`req`, whose `method` and `url` the parser set): a request still in the
 * socket is one whose handler has not answered — the route of a hanging handler.
 */
function servedRequestLine(message: unknown): string | undefined {
  if (message === null || typeof message !== 'object') return undefined;
  const request = readProperty(message, 'req');
  if (request === null || typeof request !== 'object') return undefined;
  const method = readProperty(request, 'method');
  const url = readProperty(request, 'url');
  return typeof method === 'string' && typeof url === 'string' ? cutLine(`${method} ${url}`) : undefined;
}

function asyncIdsOfWrap(wrap: object): { asyncId?: number; triggerAsyncId?: number } {
  const asyncId = callNative(wrap, 'getAsyncId');
  return typeof asyncId === 'number' ? { asyncId } : {};
}

function hasRef(wrap: object): boolean {
  const answer = callNative(wrap, 'hasRef');
  return answer !== false;
}

function formatEndpoint(host: unknown, port: unknown): string | undefined {
  if (typeof host !== 'string' || !host) return undefined;
  const shown = host.includes(':') ? `[${host}]` : host;
  return typeof port === 'number' ? `${shown}:${port}` : shown;
}

/**
 * Whether an object is a `Timeout`: its prototype's constructor is named so and the object has the
 * fields Node's timer lists use. Asked once per distinct prototype by the caller.
 */
export function isTimerPrototype(prototype: object, sample: object): boolean {
  return (
    constructorName(sample) === 'Timeout' &&
    readProperty(prototype, 'refresh') !== undefined &&
    typeof readProperty(sample, '_idleTimeout') === 'number'
  );
}

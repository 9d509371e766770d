// What keeps the event loop alive, found at snapshot time: libuv handles (servers, sockets, child
// processes, TTYs), requests in flight (file system, DNS), and timers. Node has no public API that
// returns these objects (only `process.getActiveResourcesInfo()`, their type names), so the agent uses
// the long-standing `process._getActiveHandles()` / `_getActiveRequests()` and finds timers on the heap
// by their prototype. Every read is guarded: on a Node where a detail is missing, that detail is.

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
}

interface ProcessWithInternals {
  _getActiveHandles?: () => unknown[];
  _getActiveRequests?: () => unknown[];
}

/** Handles and requests, described. Timers are found separately (`describeTimer`). */
export function listHandlesAndRequests(): ActiveResource[] {
  const found: ActiveResource[] = [];
  const internals = process as unknown as ProcessWithInternals;
  let handles: unknown[] = [];
  let requests: unknown[] = [];
  try {
    handles = internals._getActiveHandles?.() ?? [];
  } catch {}
  try {
    requests = internals._getActiveRequests?.() ?? [];
  } catch {}
  for (const handle of handles) {
    if (handle === null || typeof handle !== 'object') continue;
    try {
      const described = describeHandle(handle as Record<string, unknown>);
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

function describeHandle(handle: Record<string, unknown>): ActiveResource | undefined {
  const wrap = (handle._handle ?? handle) as Record<string, unknown> | null;
  const wrapName = wrap ? constructorName(wrap) : undefined;
  const ownName = constructorName(handle);
  const keepsAlive = hasRef(wrap ?? handle);
  const ids = wrap ? asyncIdsOfWrap(wrap) : {};
  if (ownName === 'ChildProcess') {
    const pid = handle.pid;
    const file = typeof handle.spawnfile === 'string' ? handle.spawnfile : 'child process';
    return {
      recordHolder: wrap ?? handle,
      type: 'PROCESSWRAP',
      description: `child process ${file}${typeof pid === 'number' ? ` (pid ${pid})` : ''}`,
      keepsAlive,
      ...ids,
    };
  }
  if (ownName === 'Server' || typeof handle.listen === 'function') {
    const address = safeCall(() => (handle as { address(): unknown }).address());
    const pipe = wrapName === 'Pipe';
    return {
      recordHolder: wrap ?? handle,
      type: pipe ? 'PIPESERVERWRAP' : 'TCPSERVERWRAP',
      description: `server listening on ${formatAddress(address)}`,
      keepsAlive,
      ...ids,
    };
  }
  if (wrapName === 'TTY' || handle.isTTY === true) {
    const fd = typeof handle.fd === 'number' ? handle.fd : (wrap as { fd?: unknown } | null)?.fd;
    const name = fd === 0 ? 'stdin' : fd === 1 ? 'stdout' : fd === 2 ? 'stderr' : `fd ${String(fd)}`;
    return {
      recordHolder: wrap ?? handle,
      type: 'TTYWRAP',
      description: `terminal ${name}`,
      keepsAlive,
      ...ids,
    };
  }
  const fd = (wrap as { fd?: unknown } | null)?.fd;
  if (wrapName === 'Pipe' && (fd === 0 || fd === 1 || fd === 2)) {
    const name = fd === 0 ? 'stdin' : fd === 1 ? 'stdout' : 'stderr';
    return {
      recordHolder: wrap ?? handle,
      type: 'PIPEWRAP',
      description: `${name} (pipe)`,
      keepsAlive,
      ...ids,
    };
  }
  if (wrapName === 'TCP' || wrapName === 'Pipe' || ownName === 'Socket') {
    const local = formatEndpoint(handle.localAddress, handle.localPort);
    const remote = formatEndpoint(handle.remoteAddress, handle.remotePort);
    const pipe = wrapName === 'Pipe';
    const unnamed = pipe ? (typeof fd === 'number' && fd >= 0 ? `fd ${fd}` : 'unnamed') : 'not connected';
    const where = remote ? `${local ?? '?'} → ${remote}` : (local ?? unnamed);
    return {
      recordHolder: wrap ?? handle,
      type: pipe ? 'PIPEWRAP' : 'TCPWRAP',
      description: `${pipe ? 'pipe' : 'socket'} ${where}`,
      keepsAlive,
      ...ids,
    };
  }
  if (wrapName === 'UDP' || ownName === 'Socket') {
    return { recordHolder: wrap ?? handle, type: 'UDPWRAP', description: 'UDP socket', keepsAlive, ...ids };
  }
  const name = wrapName ?? ownName ?? 'handle';
  return { recordHolder: wrap ?? handle, type: name.toUpperCase(), description: name, keepsAlive, ...ids };
}

interface TimerLike {
  _idleTimeout?: unknown;
  _repeat?: unknown;
  _destroyed?: unknown;
  _onTimeout?: unknown;
  hasRef?: () => boolean;
}

/** A live `Timeout` object as a resource, or undefined when it was cleared or has fired for good. */
export function describeTimer(timer: object): ActiveResource | undefined {
  const t = timer as TimerLike;
  if (t._destroyed === true || typeof t._idleTimeout !== 'number' || t._idleTimeout < 0) return undefined;
  const repeat = typeof t._repeat === 'number';
  const callback = typeof t._onTimeout === 'function' ? (t._onTimeout as { name?: string }).name : undefined;
  const keepsAlive = safeCall(() => t.hasRef?.()) !== false;
  const ids = asyncIdsOfTimer(timer);
  return {
    recordHolder: timer,
    type: 'Timeout',
    description: `${repeat ? 'setInterval' : 'setTimeout'} ${t._idleTimeout} ms${callback ? ` → ${callback}()` : ''}${keepsAlive ? '' : ' (unref)'}`,
    keepsAlive,
    ...ids,
  };
}

function asyncIdsOfWrap(wrap: object): { asyncId?: number; triggerAsyncId?: number } {
  const getAsyncId = (wrap as { getAsyncId?: () => number }).getAsyncId;
  const asyncId = typeof getAsyncId === 'function' ? safeCall(() => getAsyncId.call(wrap)) : undefined;
  return typeof asyncId === 'number' ? { asyncId } : {};
}

/** Timers keep their ids under symbols described `asyncId` and `triggerId`. */
function asyncIdsOfTimer(timer: object): { asyncId?: number; triggerAsyncId?: number } {
  const ids: { asyncId?: number; triggerAsyncId?: number } = {};
  for (const symbol of Object.getOwnPropertySymbols(timer)) {
    const value = (timer as Record<symbol, unknown>)[symbol];
    if (typeof value !== 'number') continue;
    if (symbol.description === 'asyncId') ids.asyncId = value;
    else if (symbol.description === 'triggerId') ids.triggerAsyncId = value;
  }
  return ids;
}

function hasRef(handle: object): boolean {
  const method = (handle as { hasRef?: () => boolean }).hasRef;
  if (typeof method !== 'function') return true;
  return safeCall(() => method.call(handle)) !== false;
}

function constructorName(value: object): string | undefined {
  try {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name ? name : undefined;
  } catch {
    return undefined;
  }
}

function formatAddress(address: unknown): string {
  if (typeof address === 'string') return address;
  if (address && typeof address === 'object') {
    const { address: host, port } = address as { address?: string; port?: number };
    return formatEndpoint(host, port) ?? 'an unknown address';
  }
  return 'an unknown address';
}

function formatEndpoint(host: unknown, port: unknown): string | undefined {
  if (typeof host !== 'string' || !host) return undefined;
  const shown = host.includes(':') ? `[${host}]` : host;
  return typeof port === 'number' ? `${shown}:${port}` : shown;
}

function safeCall<T>(call: () => T): T | undefined {
  try {
    return call();
  } catch {
    return undefined;
  }
}

// What an operation waits on, in a person's words, from what the agent knows of its innermost wait:
// the resource the promise's executor made (Node 24+: a socket with its peer and request, a timer, a
// child process), the part of Node or of a library that made the promise (`events.once()`, a stream's
// `for await`), the combinator and its elements, or only that a `new Promise` is still unresolved.
// Each text has a general form too (`kind`), which a group of operations shares when their details
// differ (two requests to one server).

import type { ActiveResource } from './activeResources';
import type { FetchRequest } from './creationRecord';
import { fetchAwaiting } from './fetchRequests';
import { baseName } from './groupTasks';
import { startsWith } from './intrinsics';
import { EVENTS_ONCE, libraryWait, nodeWait, REDIS_COMMAND } from './libraryWaits';
import type { OperationFrame } from './operationFrames';
import type { Frame } from './stackTypes';

export interface Awaiting {
  text: string;
  kind: string;
  /** A queue's or pool's wait: the called-into frame, where operations waiting are counted. */
  queuedAt?: Frame;
  /** The program's frame that called there: counted per call site, so two queues are counted apart. */
  queuedFrom?: Frame;
}

const known = (text: string): Awaiting => ({ text, kind: text });

/** Which resource says most about a wait: a socket, then a child process, then a timer. */
function rank(resource: ActiveResource): number {
  if (resource.peer !== undefined) return 0;
  if (resource.type === 'PROCESSWRAP') return 1;
  if (resource.timer !== undefined) return 2;
  return 3;
}

function fromResources(resources: readonly ActiveResource[]): Awaiting | undefined {
  let best: ActiveResource | undefined;
  for (const resource of resources) if (best === undefined || rank(resource) < rank(best)) best = resource;
  if (best === undefined) return undefined;
  if (best.peer !== undefined) {
    const kind = `socket read from ${best.peer}`;
    return { text: best.request ? `${kind} (${best.request})` : kind, kind };
  }
  return known(best.timer ?? best.description);
}

/** Node modules by what a program calls them; the rest by their file name. */
function nodeModuleName(file: string): string {
  const name = startsWith(file, 'node:') ? file.slice(5) : file;
  if (name === 'internal/timers/promises' || name === 'timers/promises') return 'timers/promises';
  if (name === 'internal/fs/promises') return 'fs/promises';
  if (startsWith(name, 'internal/streams/')) return 'stream';
  return startsWith(name, 'internal/') ? name.slice(9) : name;
}

/** `express` from `/app/node_modules/express/lib/router.js`, `@scope/pkg` for scoped packages. */
export function packageName(file: string): string {
  const parts = file.split(/[\\/]node_modules[\\/]/);
  const inside = parts[parts.length - 1].split(/[\\/]/);
  return startsWith(inside[0], '@') && inside.length > 1 ? `${inside[0]}/${inside[1]}` : inside[0];
}

/** The outermost frame of Node's or a library's code on top of the stack: what the program called. */
function calledInto(frames: readonly OperationFrame[]): OperationFrame | undefined {
  let called: OperationFrame | undefined;
  for (const item of frames) {
    if (item.origin === undefined) break;
    called = item;
  }
  return called;
}

/** An ioredis `Command` made the promise (its `initPromise` on top, under the package's built/). */
function madeByIoredisCommand(frames: readonly OperationFrame[]): boolean {
  for (const item of frames) {
    if (item.origin === undefined) return false;
    const { file, functionName } = item.frame;
    if (functionName === 'initPromise' && packageName(file) === 'ioredis') return true;
  }
  return false;
}

/** The npm package undici's `request()` (which publishes on the same channels as `fetch`) on top. */
function calledUndiciRequest(frames: readonly OperationFrame[]): boolean {
  for (const item of frames) {
    if (item.origin === undefined) return false;
    if (item.frame.functionName === 'request' && packageName(item.frame.file) === 'undici') return true;
  }
  return false;
}

/**
 * A leaf's wait: the request its executor dispatched (a fetch's URL and phase), else what it made,
 * else what made it, else its built-in.
 * @param builtin 'new Promise', 'Promise.withResolvers'
 */
export function leafAwaiting(
  builtin: string | undefined,
  frames: readonly OperationFrame[],
  resources: readonly ActiveResource[],
  request?: FetchRequest,
): Awaiting {
  const called = calledInto(frames);
  const viaRequest = request !== undefined && calledUndiciRequest(frames);
  const fetched = request && fetchAwaiting(request, viaRequest ? 'undici.request()' : 'fetch');
  if (fetched !== undefined) return fetched;
  const resource = fromResources(resources);
  if (resource !== undefined) return resource;
  if (called !== undefined) {
    const { frame, origin } = called;
    const name = frame.functionName ?? '(anonymous)';
    if (origin === 'library') {
      // Every ioredis command is made by one function, which V8 names after the first command: the
      // command itself is read from the client at snapshot time (redisWaits.ts).
      if (madeByIoredisCommand(frames)) return known(REDIS_COMMAND);
      const library = libraryWait(packageName(frame.file), name);
      if (library === undefined) return known(`${name}() in ${packageName(frame.file)}`);
      if (!library.queued) return known(library.text);
      const caller = frames[frames.indexOf(called) + 1]?.frame;
      return { ...known(library.text), queuedAt: frame, queuedFrom: caller };
    }
    const module = nodeModuleName(frame.file);
    const named = nodeWait(module, name);
    if (named !== undefined) return known(named);
    // What its emitter says is added at snapshot time (onceWaits.ts).
    if (module === 'events' && name === 'once') return known(EVENTS_ONCE);
    // Node 18–24 name the iterator's function, Node 26 its `next`.
    if (module === 'stream' && (name.includes('AsyncIterator') || name === 'next'))
      return known('stream read (for await)');
    if (module === 'timers/promises') return known(`timers/promises ${name}()`);
    return known(`${module} ${name}()`);
  }
  if (builtin === 'Promise.withResolvers') return known('Promise.withResolvers() — resolver not called yet');
  return known(`${builtin ?? 'new Promise'} — resolver not called yet`);
}

/** `Promise.all — 2 of 3 pending`; the count of elements where the hooks saw it made. */
export function combinatorAwaiting(combinator: string, pending: number, elements: number | undefined) {
  if (elements === undefined || elements === 0) return known(combinator);
  if (pending === 0) return { text: `${combinator} of ${elements}`, kind: combinator };
  return { text: `${combinator} — ${pending} of ${elements} pending`, kind: combinator };
}

/** An element of a combinator, for the operation's details: `leaf — cases.js:4: new Promise — …`. */
export function elementText(frames: readonly OperationFrame[], awaiting: Awaiting | undefined): string {
  const own = frames.find((item) => item.origin === undefined)?.frame;
  const where = own
    ? `${own.functionName ?? '(anonymous)'} — ${baseName(own.file)}:${own.line}`
    : '(no frame of the program)';
  return awaiting ? `${where}: ${awaiting.text}` : where;
}

/** What an operation without an exact stack says it waits on. */
export function unknownAwaiting(reason: string): Awaiting {
  return known(`not known: ${reason}`);
}

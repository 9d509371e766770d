// What the emitters say about waits in Node's `events.once(emitter, name)`: `events.once(WebSocket,
// 'message') — socket from 127.0.0.1:50312`. `once` (node:events, the same code on Node 18–26) makes a
// `new Promise` whose executor registers a closure named `resolver` with `emitter.once(name, resolver)`:
// the emitter's `_events[name]` (a function, or an array of them) then holds a once-wrapper (Node 18–22:
// `bound onceWrapper`; 24–26: a closure named `wrapper`) whose own `listener` property is that
// `resolver`. The wrapper leaves `_events` when the event fires, and on an error or an abort. So the
// pending waits are found, at snapshot time and only when an operation waits in `events.once`, first
// on Node's live handles (sockets, child processes, and the WebSocket ws keeps on its socket: no heap
// walk), and when those do not hold them all, on the live objects inheriting node:events'
// `EventEmitter.prototype` (one heap walk) whose `_events` hold
// such a wrapper: a function whose name is `resolver` and whose source text is part of `once`'s (taken
// when the agent loads). Everything is read as data (`_events`, `listener`, `_socket`, `pid`); the one
// call is Node's native `getpeername` on a socket's TCP wrap (activeResources.ts), into an object of the
// agent's own. Emitters that are not node:events ones (an EventTarget, eventemitter3) are not found.
//
// Nothing links the promise `once()` returned to its emitter: the `resolver`'s scopes hold `resolve`
// and `reject`, V8's resolving functions, whose promise the inspector does not show (`[[Scopes]]` of
// them is empty; checked on Node 18–26). So an emitter is never given to one operation on its
// own. What the emitters found say is given only where it is certainly true of every wait:
// - every pending promise made in `events.once` is known by its stack (none was made past the capture
//   budget or during a pause), and as many once-resolvers are found as there are such promises — then
//   the resolvers found are exactly theirs;
// - when those waits are all operations of one group (the same stack), the group gets the whole set:
//   `events.once(WebSocket, 'message') — 2 sockets, from 127.0.0.1:50312 and 127.0.0.1:50314`, its
//   events (`'start:a' or 'start:b'`) where they differ; one wait and one emitter is the exact text;
// - otherwise each wait gets what all the emitters found agree on (`events.once(WebSocket, 'message')`,
//   `events.once(emitter, 'message')`), or nothing more than `events.once()` when their events differ.
// Every wait of a group gets the same text, so a group never splits over it.

import { socketPeer } from './activeResources';
import { queryInstances } from './heapQuery';
import {
  activeHandles,
  EventEmitterPrototype,
  eventsOnceSource,
  FunctionPrototypeToString,
  isProxy,
  ReflectApply,
  ReflectGetOwnPropertyDescriptor,
  ReflectOwnKeys,
  SafeSet,
  symbolDescription,
} from './intrinsics';
import { constructorName, ownSymbolValue, readProperty } from './nativeReads';
import type { Awaiting } from './operationAwaiting';
import type { Operation } from './operationModel';
import type { Frame } from './stackTypes';

/** Listeners read per event, and once-waits found in all: past these nothing more is said. */
const MAX_LISTENERS = 10_000;
const MAX_FOUND = 100_000;
/** Peers or processes named in a set; the rest are counted. */
const MAX_NAMED = 5;
const MAX_EVENT_NAME = 60;

/** What a pending `events.once` registered, and on what. */
interface OnceListener {
  /** The emitter's class (`WebSocket`, `Socket`, `ChildProcess`), or `emitter`. */
  kind: string;
  /** The event as the text shows it: `'message'`, `Symbol(ready)`. */
  event: string;
  /** What a well-known emitter says of itself. */
  about?: About;
  /** The emitter's place in the walk: two waits on one emitter are one socket. */
  emitter: number;
}

type About =
  | { type: 'socket'; peer: string; accepted: boolean }
  | { type: 'child process'; file: string; pid: number | undefined };

/** Whether a leaf's stack was captured in the `new Promise` of Node's `events.once`. */
export function madeInEventsOnce(frames: readonly Frame[]): boolean {
  const top = frames[0];
  return top?.internal === true && top.file === 'node:events' && top.functionName === 'once';
}

/** Whether a listener is the `resolver` closure of Node's `once`. */
function isOnceResolver(listener: unknown): boolean {
  if (typeof listener !== 'function' || isProxy(listener) || eventsOnceSource === '') return false;
  const name = ReflectGetOwnPropertyDescriptor(listener, 'name');
  if (name === undefined || !('value' in name) || name.value !== 'resolver') return false;
  const text = ReflectApply(FunctionPrototypeToString, listener, []) as string;
  return eventsOnceSource.includes(text);
}

function eventText(key: string | symbol): string {
  if (typeof key === 'symbol') return `Symbol(${symbolDescription(key) ?? ''})`;
  let text = '';
  for (let at = 0; at < key.length && at < MAX_EVENT_NAME; at++) {
    const char = key[at];
    text += char === "'" || char === '\\' ? `\\${char}` : char < ' ' ? ' ' : char;
  }
  return `'${text}${key.length > MAX_EVENT_NAME ? '…' : ''}'`;
}

/** The well-known kinds: a socket (its peer), ws's WebSocket (its socket's peer), a child process. */
function aboutEmitter(emitter: object, kind: string): About | undefined {
  if (kind === 'ChildProcess') {
    const pid = readProperty(emitter, 'pid');
    const spawnfile = readProperty(emitter, 'spawnfile');
    if (typeof spawnfile !== 'string') return undefined;
    const slash = Math.max(spawnfile.lastIndexOf('/'), spawnfile.lastIndexOf('\\'));
    return {
      type: 'child process',
      file: spawnfile.slice(slash + 1),
      pid: typeof pid === 'number' ? pid : undefined,
    };
  }
  // ws keeps the net.Socket of a WebSocket in `_socket`.
  const inner = readProperty(emitter, '_socket');
  const socket = typeof inner === 'object' && inner !== null ? inner : emitter;
  const found = socketPeer(socket);
  return found && { type: 'socket', ...found };
}

/**
 * The once-waits registered on one emitter; false when it holds more than is read. An emitter whose
 * `_events` is not plain data (an accessor, a proxy) adds none: the counts then disagree.
 */
function onceListenersOf(emitter: object, place: number, into: OnceListener[]): boolean {
  const events = readProperty(emitter, '_events');
  if (typeof events !== 'object' || events === null || isProxy(events)) return true;
  let kind: string | undefined;
  let about: About | undefined;
  const keys = ReflectOwnKeys(events);
  for (let index = 0; index < keys.length; index++) {
    const value = ReflectGetOwnPropertyDescriptor(events, keys[index])?.value;
    const listeners: unknown[] = [];
    if (typeof value === 'function') listeners.push(value);
    else if (Array.isArray(value)) {
      // A proxy's length is not read: its waits are not counted, and the counts then disagree.
      const length = readProperty(value, 'length');
      if (typeof length === 'number' && length > MAX_LISTENERS) return false;
      for (let at = 0; typeof length === 'number' && at < length; at++)
        listeners.push(readProperty(value, at));
    }
    for (let at = 0; at < listeners.length; at++) {
      if (!isOnceResolver(readProperty(listeners[at], 'listener'))) continue;
      if (kind === undefined) {
        kind = constructorName(emitter) ?? 'emitter';
        about = aboutEmitter(emitter, kind);
      }
      into.push({ kind, event: eventText(keys[index]), about, emitter: place });
      if (into.length > MAX_FOUND) return false;
    }
  }
  return true;
}

/** The once-waits on these emitters; undefined when they could not all be read. */
function onceListenersOnAll(emitters: readonly object[]): OnceListener[] | undefined {
  const found: OnceListener[] = [];
  for (let place = 0; place < emitters.length; place++)
    if (!onceListenersOf(emitters[place], place, found)) return undefined;
  return found;
}

/**
 * Emitters found without walking the heap: Node's live handles (sockets, servers, child processes) and
 * the WebSocket ws keeps on its socket (an own symbol-keyed field, `Symbol(websocket)`, ws 8).
 */
function handleEmitters(): object[] {
  const emitters: object[] = [];
  const seen: Set<object> = new SafeSet();
  const add = (candidate: unknown) => {
    if (typeof candidate !== 'object' || candidate === null || seen.has(candidate)) return;
    seen.add(candidate);
    emitters.push(candidate);
  };
  for (const handle of activeHandles()) {
    add(handle);
    if (typeof handle === 'object' && handle !== null) add(ownSymbolValue(handle, 'websocket'));
  }
  return emitters;
}

/**
 * Every pending once-wait on a live node:events emitter, `made` of them when all are found; undefined
 * when they could not all be read. The waits of a server's clients are on its sockets: when the handles
 * hold all `made`, the heap is not walked (a walk costs as much as the snapshot's own: BENCHMARKS.md).
 */
function pendingOnceListeners(made: number): OnceListener[] | undefined {
  const onHandles = onceListenersOnAll(handleEmitters());
  if (onHandles !== undefined && onHandles.length === made) return onHandles;
  const [emitters] = queryInstances([EventEmitterPrototype]);
  return onceListenersOnAll(emitters);
}

/** `a`, `a and b`, `a, b and c`, `a, b, c, d, e and 3 more`. */
function listed(items: string[]): string {
  if (items.length > MAX_NAMED)
    return `${items.slice(0, MAX_NAMED).join(', ')} and ${items.length - MAX_NAMED} more`;
  if (items.length === 1) return items[0];
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Peers in address order, ports by number: the same set reads the same in every snapshot. */
function byEndpoint(a: string, b: string): number {
  const colonA = a.lastIndexOf(':');
  const colonB = b.lastIndexOf(':');
  const hostA = a.slice(0, colonA);
  const hostB = b.slice(0, colonB);
  if (hostA !== hostB) return hostA < hostB ? -1 : 1;
  return Number(a.slice(colonA + 1)) - Number(b.slice(colonB + 1));
}

/**
 * `events.once(WebSocket, 'message')`: the kind and event every listener agrees on (`emitter` for mixed
 * kinds). Differing events are named only when `several` (the listeners are the waits of one group:
 * `'start:a' or 'start:b'`); undefined otherwise.
 */
function head(found: readonly OnceListener[], several: boolean): string | undefined {
  const { kind } = found[0];
  const events: string[] = [];
  for (const item of found) if (!events.includes(item.event)) events.push(item.event);
  if (events.length > 1 && (!several || events.length > MAX_NAMED)) return undefined;
  const sameKind = found.every((item) => item.kind === kind);
  return `events.once(${sameKind ? kind : 'emitter'}, ${events.sort().join(' or ')})`;
}

/**
 * What the emitters of a set are, each once however many waits it holds: `socket from 127.0.0.1:50312`,
 * `2 sockets, from …`, `child process sleep (pid 7)`, `2 emitters`.
 */
function setText(found: readonly OnceListener[]): string | undefined {
  const abouts: About[] = [];
  const seen: number[] = [];
  let described = true;
  for (const item of found) {
    if (seen.includes(item.emitter)) continue;
    seen.push(item.emitter);
    if (item.about === undefined) described = false;
    else abouts.push(item.about);
  }
  const count = seen.length;
  const whole = described && count > 0;
  if (whole && abouts.every((item) => item.type === 'socket')) {
    const direction = (item: About) => (item.type === 'socket' && item.accepted ? 'from' : 'to');
    const first = direction(abouts[0]);
    const sameWay = abouts.every((item) => direction(item) === first);
    const peers = abouts.map((item) => (item.type === 'socket' ? item.peer : '')).sort(byEndpoint);
    if (count === 1) return `socket ${first} ${peers[0]}`;
    return sameWay ? `${count} sockets, ${first} ${listed(peers)}` : `${count} sockets`;
  }
  if (whole && abouts.every((item) => item.type === 'child process')) {
    const processes = abouts.map((item) =>
      item.type === 'child process'
        ? `${item.file}${item.pid === undefined ? '' : ` (pid ${item.pid})`}`
        : '',
    );
    if (count === 1) return `child process ${processes[0]}`;
    return `${count} child processes: ${listed(processes)}`;
  }
  return count === 1 ? undefined : `${count} emitters`;
}

/**
 * Gives the operations waiting in `events.once` what the emitters found say of them (see above).
 * `made`: pending promises captured in `once`'s `new Promise`, operations or not (an element of a
 * `Promise.all`, a wait inside a library); `unseen`: some pending promises have no stack, so how many
 * of them `once` made is not known.
 */
export function describeOnceWaits(waits: readonly Operation[], made: number, unseen: boolean): void {
  if (unseen || waits.length === 0) return;
  let found: OnceListener[] | undefined;
  try {
    found = pendingOnceListeners(made);
  } catch {
    // The inspector could not be used: `events.once()` stands.
    return;
  }
  if (found === undefined || found.length === 0 || found.length !== made) return;
  const key = waits[0].key;
  const oneGroup = waits.length === made && waits.every((item) => item.key === key);
  const kind = head(found, oneGroup);
  if (kind === undefined) return;
  const tail = oneGroup ? setText(found) : undefined;
  const text = tail === undefined ? kind : `${kind} — ${tail}`;
  for (const item of waits) item.awaiting = { text, kind } satisfies Awaiting;
}

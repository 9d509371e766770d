// Every built-in the agent calls from its hooks, its timer or a snapshot, taken once when the agent loads
// (before the program's first line) and never looked up again. A program may later replace
// `setTimeout`, `Date.now`, `Reflect`, `WeakRef` or `Map.prototype.set`, install fake timers, or
// freeze `Error`: the agent keeps calling what Node had, so the program sees no call it did not make
// (Node's own `primordials` follow the same rule). Inside a snapshot the agent also uses array, map,
// string and JSON methods as they are looked up: for its length, the built-ins are put back as they
// were at load (builtinGuard.ts).

// Named imports only: a namespace import (`import * as util`) makes the bundle copy every property of
// the module, which runs Node's lazy getters (`util.diff` loads a module that opens `process.stderr`).
import { executionAsyncId as asyncIdOfExecution, createHook } from 'node:async_hooks';
import { EventEmitter, once as eventsOnce } from 'node:events';
import { findSourceMap as nodeFindSourceMap, SourceMap } from 'node:module';
import { performance } from 'node:perf_hooks';
import { clearTimeout as nodeClearTimeout, setTimeout as nodeSetTimeout } from 'node:timers';
import { fileURLToPath as nodeFileURLToPath } from 'node:url';
import { types } from 'node:util';

const {
  apply: ReflectApply,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  ownKeys,
  defineProperty,
  deleteProperty,
} = Reflect;

export {
  defineProperty as ReflectDefineProperty,
  deleteProperty as ReflectDeleteProperty,
  getOwnPropertyDescriptor as ReflectGetOwnPropertyDescriptor,
  getPrototypeOf as ReflectGetPrototypeOf,
  ownKeys as ReflectOwnKeys,
  ReflectApply,
};

export const DateNow = Date.now;
export const JSONStringify = JSON.stringify;
export const NativeWeakRef = WeakRef;
export const NativeFinalizationRegistry = FinalizationRegistry;
export const FinalizationRegistryRegister = FinalizationRegistry.prototype.register;
export const ObjectFreeze = Object.freeze;
export const ObjectCreate = Object.create;
export const ObjectIsExtensible = Object.isExtensible;
export const FunctionPrototypeToString = Function.prototype.toString;
const StringPrototypeStartsWith = String.prototype.startsWith;

const StringPrototypeEndsWith = String.prototype.endsWith;
const StringPrototypeSlice = String.prototype.slice;
const SymbolDescription = getOwnPropertyDescriptor(Symbol.prototype, 'description')?.get;

export function startsWith(text: string, prefix: string): boolean {
  return ReflectApply(StringPrototypeStartsWith, text, [prefix]) as boolean;
}

export function endsWith(text: string, suffix: string): boolean {
  return ReflectApply(StringPrototypeEndsWith, text, [suffix]) as boolean;
}

/** `text.slice(start, end)` with the method as it was at load (for code that runs in the program's time). */
export function sliceOf(text: string, start: number, end?: number): string {
  return ReflectApply(StringPrototypeSlice, text, [start, end]) as string;
}

export function symbolDescription(symbol: symbol): string | undefined {
  return SymbolDescription ? (ReflectApply(SymbolDescription, symbol, []) as string | undefined) : undefined;
}
export const globalObject = globalThis;

/** The `Error` constructor and its stack API as Node made them. */
export const NativeError = Error;
export const ErrorCaptureStackTrace = Error.captureStackTrace;

/** What every native (non-subclass) promise inherits from, whatever `globalThis.Promise` becomes. */
export const NativePromisePrototype = getPrototypeOf((async () => {})()) as object;

/** What every `node:events` emitter inherits from (streams, sockets, child processes, ws's WebSocket). */
export const EventEmitterPrototype: object = EventEmitter.prototype;
/**
 * The source text of Node's `events.once`, which holds the text of the `resolver` closure it registers
 * on the emitter (onceWaits.ts); '' where it could not be read.
 */
export const eventsOnceSource: string = (() => {
  try {
    return typeof eventsOnce === 'function'
      ? (ReflectApply(FunctionPrototypeToString, eventsOnce, []) as string)
      : '';
  } catch {
    return '';
  }
})();

export const setTimer = nodeSetTimeout;
export const clearTimer = nodeClearTimeout;

const boundUtilization = performance.eventLoopUtilization.bind(performance);
export const eventLoopUtilization = boundUtilization;

export const executionAsyncId = asyncIdOfExecution;
export const createAsyncHook = createHook;

export const isProxy = types.isProxy;
export const fileURLToPath = nodeFileURLToPath;
export const findSourceMap: typeof nodeFindSourceMap | undefined =
  typeof nodeFindSourceMap === 'function' ? nodeFindSourceMap : undefined;
const SourceMapClass = SourceMap as { prototype: { findEntry?: unknown } } | undefined;
export const SourceMapFindEntry =
  typeof SourceMapClass?.prototype.findEntry === 'function'
    ? (SourceMapClass.prototype.findEntry as (line: number, column: number) => unknown)
    : undefined;

const processObject = process;
/** This process's id (a worker thread shares it). */
export const processId = process.pid;
const getActiveHandles = (process as { _getActiveHandles?: () => unknown[] })._getActiveHandles;
const getActiveRequests = (process as { _getActiveRequests?: () => unknown[] })._getActiveRequests;
const getActiveResourcesInfo = (process as { getActiveResourcesInfo?: () => string[] })
  .getActiveResourcesInfo;

/** libuv handles Node keeps (servers, sockets, child processes, TTYs); [] where unknown. */
export function activeHandles(): unknown[] {
  return typeof getActiveHandles === 'function' ? ReflectApply(getActiveHandles, processObject, []) : [];
}

export function activeRequests(): unknown[] {
  return typeof getActiveRequests === 'function' ? ReflectApply(getActiveRequests, processObject, []) : [];
}

/** Type names of what keeps the loop alive; undefined where this Node cannot tell. */
export function activeResourceTypes(): string[] | undefined {
  return typeof getActiveResourcesInfo === 'function'
    ? ReflectApply(getActiveResourcesInfo, processObject, [])
    : undefined;
}

/**
 * Copies of `Map`, `WeakMap` and `Set` whose methods are the original ones, fixed on the copy's own
 * prototype: a program that patches `Map.prototype.set` is not called by the agent's hooks. (Node's
 * `SafeMap` does the same.)
 */
function makeSafe<T extends { prototype: object }>(base: { prototype: object }, safe: T): T {
  const names = ownKeys(base.prototype);
  for (const name of names) {
    if (name === 'constructor') continue;
    const descriptor = getOwnPropertyDescriptor(base.prototype, name);
    if (descriptor) defineProperty(safe.prototype, name, descriptor);
  }
  Object.freeze(safe.prototype);
  return safe;
}

// Constructors of their own, without a rest parameter: the default one of a derived class spreads its
// arguments, which Node 18 and 20 do through `Array.prototype[Symbol.iterator]` as it is then — the
// program's, if it replaced it.
export const SafeMap = makeSafe(
  Map,
  class SafeMap<K, V> extends Map<K, V> {
    constructor(entries?: Iterable<readonly [K, V]> | null) {
      super(entries);
    }
  },
);
export const SafeWeakMap = makeSafe(
  WeakMap,
  class SafeWeakMap<K extends object, V> extends WeakMap<K, V> {
    constructor(entries?: readonly (readonly [K, V])[] | null) {
      super(entries);
    }
  },
);
export const SafeSet = makeSafe(
  Set,
  class SafeSet<T> extends Set<T> {
    constructor(values?: Iterable<T> | null) {
      super(values);
    }
  },
);

/** `next` of Map iterators, for the least-recently-used order of `SafeMap` keys. */
const MapPrototypeKeys = Map.prototype.keys;
const MapIteratorNext = (getPrototypeOf(new Map().keys()) as { next: () => IteratorResult<unknown> }).next;

/** The first key of a map in insertion order, through the original iterator. */
export function firstKeyOf<K>(map: Map<K, unknown>): K | undefined {
  const iterator = ReflectApply(MapPrototypeKeys, map, []) as Iterator<K>;
  return (ReflectApply(MapIteratorNext, iterator, []) as IteratorResult<K>).value as K | undefined;
}

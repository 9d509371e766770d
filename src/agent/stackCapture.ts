// Creation stacks, captured when a task is made and turned into plain data at once. V8's structured
// call sites hold each frame's function (with its closure) and receiver: kept until a snapshot read
// them, they kept alive what the program had dropped (a server's request buffers, measured in issue 13).
// So the capture reads file, line, column and function name right away, and shares each distinct
// frame between the stacks that pass through it (a table by file and position), which keeps a stack
// to a short array of shared objects.
//
// Reading V8's call sites needs `Error.prepareStackTrace`, a property the program owns. The agent sets
// it, and `Error.stackTraceLimit`, only when each is a writable data property (or absent, on an
// extensible `Error`), for the length of one capture, and puts each back exactly as it was — absent
// again if it was absent. An accessor, a frozen `Error`, or a `globalThis.Error` that is no longer
// Node's means no stack for that capture: the agent never calls the program's functions to get one.

import {
  ErrorCaptureStackTrace,
  globalObject,
  NativeError,
  ObjectIsExtensible,
  ReflectApply,
  ReflectDefineProperty,
  ReflectDeleteProperty,
  ReflectGetOwnPropertyDescriptor,
  SafeMap,
  startsWith,
} from './intrinsics';
import { internStack } from './stackInterning';
import type { CapturedStack, CombinatorMark, RawFrame } from './stackTypes';

/** Frames kept per capture: enough to get past Node's internals to the user's code. */
export const CAPTURED_FRAMES = 16;

/** The agent's own file: its frames never appear in sites. */
export const agentFile = typeof __filename === 'string' ? __filename : '';

interface CallSite {
  getFileName(): string | undefined | null;
  getScriptNameOrSourceURL(): string | undefined | null;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  getFunctionName(): string | null;
  getMethodName(): string | null;
  getTypeName(): string | null;
  isConstructor(): boolean;
  isNative(): boolean;
  isAsync(): boolean;
  isPromiseAll(): boolean;
  getPromiseIndex(): number | null;
}

type CallSiteMethod = (this: CallSite) => unknown;

/** While the agent loads: `prepareStackTrace` hands V8's call sites over as they are, once. */
let rawSites: unknown;
let wantRawSites = false;

/** V8's CallSite methods, read from a stack captured while the agent loads. */
const callSiteMethods = ((): Record<keyof CallSite, CallSiteMethod> | undefined => {
  let sites: unknown;
  try {
    wantRawSites = true;
    withStackApi(10, (holder) => {
      ErrorCaptureStackTrace(holder);
      void holder.stack;
      sites = rawSites;
    });
  } catch {
    return undefined;
  } finally {
    wantRawSites = false;
    rawSites = undefined;
  }
  if (!Array.isArray(sites) || sites.length === 0) return undefined;
  const prototype = Reflect.getPrototypeOf(sites[0]) as Record<string, unknown>;
  const names: (keyof CallSite)[] = [
    'getFileName',
    'getScriptNameOrSourceURL',
    'getLineNumber',
    'getColumnNumber',
    'getFunctionName',
    'getMethodName',
    'getTypeName',
    'isConstructor',
    'isNative',
    'isAsync',
    'isPromiseAll',
    'getPromiseIndex',
  ];
  const methods = {} as Record<keyof CallSite, CallSiteMethod>;
  for (const name of names) {
    const method = prototype[name];
    methods[name] = typeof method === 'function' ? (method as CallSiteMethod) : () => null;
  }
  return methods;
})();

function call(site: CallSite, name: keyof CallSite): unknown {
  return ReflectApply((callSiteMethods as Record<keyof CallSite, CallSiteMethod>)[name], site, []);
}

/** What `prepareStackTrace` hands back during one capture: the call sites, already plain. */
let converted: CapturedStack | undefined;

function prepareStackTrace(_error: unknown, sites: CallSite[]): undefined {
  if (wantRawSites) rawSites = sites;
  else converted = toPlain(sites);
  return undefined;
}

/**
 * Captures the current stack above `above` (a function on the stack, usually the hook that calls this)
 * as plain frames. Never throws; undefined when the program's `Error` does not let the agent read a
 * stack without calling the program's code.
 */
export function captureStack(above: (...args: never[]) => unknown): CapturedStack | undefined {
  if (callSiteMethods === undefined) return undefined;
  converted = undefined;
  try {
    withStackApi(CAPTURED_FRAMES, (holder) => {
      ErrorCaptureStackTrace(holder, above);
      // Reading `stack` formats it: V8 calls Node's formatter, which calls `prepareStackTrace` above.
      void holder.stack;
    });
  } catch {
    converted = undefined;
  }
  const result = converted;
  converted = undefined;
  return result;
}

/**
 * Runs `body` with the agent's `prepareStackTrace` and the given stack trace limit in place, each only
 * where the program's `Error` allows it without calling the program; restores both exactly.
 */
function withStackApi(limit: number, body: (holder: { stack?: unknown }) => void): void {
  // Node formats stacks through `globalThis.Error.prepareStackTrace`: that must be Node's `Error`,
  // reachable without a getter, or the program's formatter would be the one called.
  const errorBinding = ReflectGetOwnPropertyDescriptor(globalObject, 'Error');
  if (errorBinding === undefined || errorBinding.value !== NativeError) return;
  const prepare = ReflectGetOwnPropertyDescriptor(NativeError, 'prepareStackTrace');
  const prepareWasAbsent = prepare === undefined;
  if (prepareWasAbsent ? !ObjectIsExtensible(NativeError) : prepare.writable !== true) return;
  const limitDescriptor = ReflectGetOwnPropertyDescriptor(NativeError, 'stackTraceLimit');
  // Left as it is when the program made it an accessor or read-only: V8 reads it as data either way.
  const setLimit = limitDescriptor?.writable === true && limitDescriptor.value !== limit;
  const errorObject = NativeError as unknown as Record<string, unknown>;
  if (prepareWasAbsent) {
    ReflectDefineProperty(NativeError, 'prepareStackTrace', {
      value: prepareStackTrace,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  } else {
    errorObject.prepareStackTrace = prepareStackTrace;
  }
  if (setLimit) errorObject.stackTraceLimit = limit;
  try {
    body({});
  } finally {
    if (setLimit) errorObject.stackTraceLimit = limitDescriptor.value;
    if (prepareWasAbsent) ReflectDeleteProperty(NativeError, 'prepareStackTrace');
    else errorObject.prepareStackTrace = prepare.value;
  }
}

/** Frames already seen, by file then by position: each distinct frame is one shared object. */
const knownFrames: Map<string, Map<number, RawFrame>> = new SafeMap();
let knownFrameCount = 0;
/** Numbers frames for interned stacks' signatures (stackInterning.ts); never reused. */
let nextFrameId = 0;
const MAX_KNOWN_FRAMES = 20_000;

function toPlain(sites: CallSite[]): CapturedStack {
  const frames: RawFrame[] = [];
  let marks: CombinatorMark[] | undefined;
  let builtin: string | undefined;
  let onTop = true;
  for (let index = 0; index < sites.length; index++) {
    const site = sites[index];
    const frame = toFrame(site);
    if (frame === undefined) {
      // The outermost built-in of the run on top names the operation: `then` called by `catch` is a catch.
      if (onTop) builtin = describeBuiltin(site) ?? builtin;
      else {
        const mark = combinatorMark(site, frames.length);
        if (mark !== undefined) {
          if (marks === undefined) marks = [];
          marks[marks.length] = mark;
        }
      }
      continue;
    }
    // Node's dispatch of hooks to their callbacks (`initAll` when several promise hooks are installed, as
    // under a debugger): part of neither the program nor the operation, and not what is on top.
    if (frame.plumbing) continue;
    onTop = false;
    frames[frames.length] = frame;
  }
  return internStack(frames, builtin, marks);
}

/** `async Promise.all (index 1)`: an async frame of a combinator, which V8 gives no file. */
function combinatorMark(site: CallSite, at: number): CombinatorMark | undefined {
  if (call(site, 'isAsync') !== true) return undefined;
  const index = call(site, 'getPromiseIndex');
  if (typeof index !== 'number') return undefined;
  const name = call(site, 'isPromiseAll') === true ? 'all' : (call(site, 'getFunctionName') as string | null);
  return { at, combinator: `Promise.${name ?? 'all'}`, index };
}

function toFrame(site: CallSite): RawFrame | undefined {
  const file = (call(site, 'getFileName') ?? call(site, 'getScriptNameOrSourceURL')) as string | null;
  const line = call(site, 'getLineNumber') as number | null;
  // Built-in frames (`new Promise`, `Promise.all`) have no file, or are native (under a debugger with
  // async stacks V8 gives them one): they say nothing about where.
  if (!file || !line || call(site, 'isNative') === true) return undefined;
  const column = (call(site, 'getColumnNumber') as number | null) ?? 0;
  const async = call(site, 'isAsync') === true;
  let inFile = knownFrames.get(file);
  if (inFile === undefined) {
    inFile = new SafeMap<number, RawFrame>() as Map<number, RawFrame>;
    knownFrames.set(file, inFile);
  }
  // The same place can be a running frame in one stack and a suspended (async) one in another.
  const position = (line * 1_000_000 + column) * 2 + (async ? 1 : 0);
  let frame = inFile.get(position);
  if (frame === undefined) {
    if (knownFrameCount >= MAX_KNOWN_FRAMES) {
      // Stacks keep the frames they hold; only the table of shared ones starts again.
      knownFrames.clear();
      knownFrameCount = 0;
      knownFrames.set(file, inFile);
      inFile.clear();
    }
    frame = {
      id: nextFrameId++,
      file,
      line,
      column,
      functionName: describeFunction(site),
      async,
      internal: isInternalFile(file),
      plumbing: isHookPlumbing(file),
      mapped: undefined,
    };
    inFile.set(position, frame);
    knownFrameCount += 1;
  }
  return frame;
}

function describeFunction(site: CallSite): string | undefined {
  const name = call(site, 'getFunctionName') as string | null;
  if (name) return name;
  const method = call(site, 'getMethodName') as string | null;
  if (method) {
    const type = call(site, 'getTypeName') as string | null;
    return type ? `${type}.${method}` : method;
  }
  return undefined;
}

function describeBuiltin(site: CallSite): string | undefined {
  const name = call(site, 'getFunctionName') as string | null;
  if (!name) return undefined;
  if (call(site, 'isConstructor') === true) return `new ${name}`;
  const type = call(site, 'getTypeName') as string | null;
  if (type === 'Promise' && (name === 'then' || name === 'catch' || name === 'finally')) return `.${name}()`;
  if (type === 'Function') return `Promise.${name}`;
  return name;
}

function isHookPlumbing(file: string): boolean {
  return file === 'node:internal/promise_hooks' || file === 'node:internal/async_hooks' || file === agentFile;
}

/**
 * Node's own modules, the agent, and WebAssembly: what "hide Node internals" hides, and what sites skip.
 * A wasm frame (`wasm://wasm/770c7abe`, line 1) has no source a person can read — in practice it is
 * undici's HTTP parser inside Node's `fetch` calling back into JavaScript — so the site is the program's
 * line that called into the module.
 */
export function isInternalFile(file: string): boolean {
  return (
    startsWith(file, 'node:') ||
    startsWith(file, 'internal/') ||
    startsWith(file, 'wasm://') ||
    file === agentFile
  );
}

// Creation stacks: captured cheaply when a task is created, turned into frames only when a snapshot
// shows them. `Error.captureStackTrace` records V8's structured frames and formats them lazily, on the
// first read of `.stack`; the agent reads it with a `prepareStackTrace` that returns the call sites
// unformatted, so a stack that no snapshot ever shows costs only its capture.

import { findSourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { SourceLocation } from '../snapshot/format';

/** The object `Error.captureStackTrace` filled in; its `stack` is read at most once. */
export interface CapturedStack {
  stack?: unknown;
}

/** Frames kept per capture: enough to get past Node's internals to the user's code. */
export const CAPTURED_FRAMES = 16;

const stackTraceLimitWritable = (() => {
  const descriptor = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit');
  return !descriptor || descriptor.writable === true || typeof descriptor.set === 'function';
})();

/**
 * Captures the current stack above `above` (a function on the stack, usually the hook that calls this),
 * unformatted. Never throws.
 */
export function captureStack(above: (...args: never[]) => unknown): CapturedStack | undefined {
  if (!stackTraceLimitWritable) return undefined;
  const holder: CapturedStack = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = CAPTURED_FRAMES;
  try {
    Error.captureStackTrace(holder, above);
  } catch {
    return undefined;
  } finally {
    Error.stackTraceLimit = limit;
  }
  return holder;
}

interface CallSite {
  getFileName(): string | undefined | null;
  getScriptNameOrSourceURL?(): string | undefined | null;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  getFunctionName(): string | null;
  getMethodName(): string | null;
  getTypeName(): string | null;
  isNative(): boolean;
  isConstructor(): boolean;
  isAsync?(): boolean;
}

/** A frame of a creation stack, with whether it belongs to Node or to the agent rather than the user. */
export interface Frame extends SourceLocation {
  internal: boolean;
}

/** The agent's own file: its frames never appear in sites. */
const agentFile = typeof __filename === 'string' ? __filename : '';

export interface ReadStack {
  /** Frames with a source location, innermost first. */
  frames: Frame[];
  /**
   * How the promise came to be, from the built-in frames on top of the stack: 'new Promise',
   * '.then()', '.catch()', 'Promise.all', …; undefined when user code is on top (an async function's
   * own promise, or the promise of an `await`).
   */
  builtin: string | undefined;
  /** The first frame in the user's code: the creation site. */
  site: Frame | undefined;
}

/** Reads a captured stack. Never throws; an unreadable stack gives no frames. */
export function readStack(captured: CapturedStack): ReadStack {
  const saved = Error.prepareStackTrace;
  let sites: unknown;
  try {
    Error.prepareStackTrace = (_error, callSites) => callSites;
    sites = captured.stack;
  } catch {
    sites = undefined;
  } finally {
    Error.prepareStackTrace = saved;
  }
  if (!Array.isArray(sites)) return { frames: [], builtin: undefined, site: undefined };
  const frames: Frame[] = [];
  let builtin: string | undefined;
  let onTop = true;
  for (const site of sites as CallSite[]) {
    const frame = toFrame(site);
    // Node's dispatch of hooks to their callbacks: part of neither the program nor the operation.
    if (frame && isHookPlumbing(frame.file)) continue;
    if (frame) {
      frames.push(frame);
      onTop = false;
    } else if (onTop) {
      // The outermost built-in of the run on top names the operation: `then` called by `catch` is a catch.
      builtin = describeBuiltin(site) ?? builtin;
    }
  }
  return { frames, builtin, site: frames.find((frame) => !frame.internal) };
}

function describeBuiltin(site: CallSite): string | undefined {
  try {
    const name = site.getFunctionName();
    if (!name) return undefined;
    if (site.isConstructor()) return `new ${name}`;
    const type = site.getTypeName();
    if (type === 'Promise' && (name === 'then' || name === 'catch' || name === 'finally'))
      return `.${name}()`;
    if (type === 'Function') return `Promise.${name}`;
    return name;
  } catch {
    return undefined;
  }
}

function toFrame(site: CallSite): Frame | undefined {
  try {
    const rawFile = site.getFileName() ?? site.getScriptNameOrSourceURL?.() ?? undefined;
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    // Native frames (`new Promise`, `Promise.all`) have no file: they say nothing about where.
    if (!rawFile || !line || site.isNative()) return undefined;
    const functionName = describeFunction(site);
    const mapped = mapToSource(rawFile, line, column ?? 1);
    const file = mapped?.file ?? toPath(rawFile);
    const frame: Frame = {
      file,
      line: mapped?.line ?? line,
      internal: isInternalFile(rawFile),
    };
    const mappedColumn = mapped ? mapped.column : (column ?? undefined);
    if (mappedColumn !== undefined && mappedColumn >= 1) frame.column = mappedColumn;
    if (functionName) frame.functionName = functionName;
    return frame;
  } catch {
    return undefined;
  }
}

function describeFunction(site: CallSite): string | undefined {
  const name = site.getFunctionName();
  if (name) return name;
  const method = site.getMethodName();
  if (method) {
    const type = site.getTypeName();
    return type ? `${type}.${method}` : method;
  }
  return undefined;
}

function isHookPlumbing(file: string): boolean {
  return file === 'node:internal/promise_hooks' || file === 'node:internal/async_hooks' || file === agentFile;
}

/** Node's own modules, and the agent: what "hide Node internals" hides, and what sites skip. */
export function isInternalFile(file: string): boolean {
  return file.startsWith('node:') || file.startsWith('internal/') || file === agentFile;
}

function toPath(file: string): string {
  if (file.startsWith('file://')) {
    try {
      return fileURLToPath(file);
    } catch {
      return file;
    }
  }
  return file;
}

interface MappedLocation {
  file: string;
  line: number;
  column: number;
}

const mappedLocations = new Map<string, MappedLocation | null>();

/**
 * Maps generated JavaScript back to its source (TypeScript) where Node knows a source map for the file
 * (`--enable-source-maps`, or `module.setSourceMapsSupport`). Cached per location: a snapshot maps each
 * distinct site once.
 */
function mapToSource(file: string, line: number, column: number): MappedLocation | undefined {
  if (typeof findSourceMap !== 'function' || isInternalFile(file)) return undefined;
  const key = `${file}:${line}:${column}`;
  const cached = mappedLocations.get(key);
  if (cached !== undefined) return cached ?? undefined;
  let result: MappedLocation | null = null;
  try {
    const map = findSourceMap(file);
    const entry = map?.findEntry(line - 1, column - 1) as
      | { originalSource?: string; originalLine?: number; originalColumn?: number }
      | undefined;
    if (entry && typeof entry.originalSource === 'string' && typeof entry.originalLine === 'number') {
      result = {
        file: toPath(entry.originalSource),
        line: entry.originalLine + 1,
        column: (entry.originalColumn ?? 0) + 1,
      };
    }
  } catch {
    result = null;
  }
  if (mappedLocations.size > 10_000) mappedLocations.clear();
  mappedLocations.set(key, result);
  return result ?? undefined;
}

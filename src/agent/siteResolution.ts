// Where a task was created, resolved at snapshot time from the plain frames its record (or an
// ancestor's) captured: frames mapped to their sources, the first frame in the user's code as the site,
// and — when a record's own stack holds only Node's frames — the site of the context it was created in.
// Each distinct frame is mapped once, and each record's answer is kept on it.

import type { CreationRecord } from './creationRecord';
import { fileURLToPath, findSourceMap, ReflectApply, SourceMapFindEntry, startsWith } from './intrinsics';
import type { CapturedStack, Frame, RawFrame, ReadStack, ResolvedStack } from './stackTypes';

const NOTHING_READ: ReadStack = { frames: [], builtin: undefined, marks: undefined, site: undefined };
export const UNRESOLVED: ResolvedStack = { ...NOTHING_READ, source: undefined };

/** A captured stack as a snapshot shows it: read once, kept on the (interned, shared) stack. */
export function readStack(captured: CapturedStack): ReadStack {
  if (captured.read === undefined) captured.read = readFrames(captured);
  return captured.read;
}

function readFrames(captured: CapturedStack): ReadStack {
  const frames: Frame[] = [];
  let site: Frame | undefined;
  const raws = captured.frames;
  for (let index = 0; index < raws.length; index++) {
    const frame = mappedFrame(raws[index]);
    frames[index] = frame;
    if (site === undefined && !frame.internal) site = frame;
  }
  return { frames, builtin: captured.builtin, marks: captured.marks, site };
}

function readOnce(record: CreationRecord): ReadStack {
  if (record.read !== undefined) return record.read;
  if (record.stack === undefined) return NOTHING_READ;
  record.read = readStack(record.stack);
  record.stack = undefined;
  return record.read;
}

/**
 * The stack this record itself captured, read; undefined when it captured none. Read stacks are shared
 * by every record whose capture was the same (stackInterning.ts): 100 000 pending promises from ten
 * places are ten reads, and nothing per promise is left behind.
 */
export function ownStack(record: CreationRecord): ReadStack | undefined {
  if (record.read !== undefined) return record.read;
  return record.stack === undefined ? undefined : readStack(record.stack);
}

/**
 * A record's creation stack: its own, or — when it has none, or one with only Node's frames — that of
 * the nearest ancestor whose stack reaches the user's code. Resolved once per site source and kept
 * there: the thousands of promises that share a context share the answer.
 */
export function stackOf(record: CreationRecord): ResolvedStack {
  const source = record.siteSource;
  if (source === undefined) return UNRESOLVED;
  if (source.resolved !== undefined) return source.resolved;
  let resolved: ResolvedStack = { ...readOnce(source), source };
  for (let candidate = source.fallback; candidate !== undefined && resolved.site === undefined; ) {
    const read = readOnce(candidate);
    if (read.site !== undefined) resolved = { ...read, source: candidate };
    candidate = candidate.fallback;
  }
  source.resolved = resolved;
  return resolved;
}

/**
 * Whether a job context's site, as far as it is known, lies in Node's own code. Read once per record
 * that has a stack (those are budgeted), and only when a job runs in its context; kept on the record.
 */
export function isNodeContext(record: CreationRecord): boolean {
  const source = record.siteSource;
  if (source === undefined || (source.stack === undefined && source.read === undefined)) return false;
  if (source.internalOnly === undefined) {
    // Whether the stack (its own or a fallback's) has a frame of the program's, from the raw frames:
    // this runs in a hook, where no source map is read (Node's source-map code looks String methods up
    // as it runs: a program's replacement would). A stack with no frames at all counts as Node's: V8
    // made the promise with no JavaScript on the stack (Node 24's module loader does).
    let reachesProgram = hasProgramFrame(source);
    for (let candidate = source.fallback; candidate !== undefined && !reachesProgram; ) {
      reachesProgram = hasProgramFrame(candidate);
      candidate = candidate.fallback;
    }
    source.internalOnly = !reachesProgram;
  }
  return source.internalOnly;
}

/** Whether a record's own stack has a frame of the program's (read or not: mapping keeps `internal`). */
function hasProgramFrame(record: CreationRecord): boolean {
  if (record.read !== undefined) return record.read.site !== undefined;
  return record.stack?.reachesProgram === true;
}

export function isInternalStack(resolved: ResolvedStack): boolean {
  return resolved.source !== undefined && resolved.site === undefined;
}

function mappedFrame(raw: RawFrame): Frame {
  if (raw.mapped !== undefined) return raw.mapped;
  const mapped = raw.internal ? undefined : mapToSource(raw.file, raw.line, raw.column || 1);
  const frame: Frame = {
    file: mapped?.file ?? toPath(raw.file),
    line: mapped?.line ?? raw.line,
    internal: raw.internal,
    async: raw.async,
  };
  const column = mapped ? mapped.column : raw.column;
  if (column >= 1) frame.column = column;
  if (raw.functionName !== undefined) frame.functionName = raw.functionName;
  raw.mapped = frame;
  return frame;
}

function toPath(file: string): string {
  if (!startsWith(file, 'file://')) return file;
  try {
    return fileURLToPath(file);
  } catch {
    return file;
  }
}

interface MappedLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * Maps generated JavaScript back to its source (TypeScript) where Node knows a source map for the file
 * (`--enable-source-maps`, or `module.setSourceMapsSupport`).
 */
function mapToSource(file: string, line: number, column: number): MappedLocation | undefined {
  if (findSourceMap === undefined || SourceMapFindEntry === undefined) return undefined;
  try {
    const map = findSourceMap(file);
    if (map === undefined) return undefined;
    const entry = ReflectApply(SourceMapFindEntry, map, [line - 1, column - 1]) as
      | { originalSource?: string; originalLine?: number; originalColumn?: number }
      | undefined;
    if (entry && typeof entry.originalSource === 'string' && typeof entry.originalLine === 'number') {
      return {
        file: toPath(entry.originalSource),
        line: entry.originalLine + 1,
        column: (entry.originalColumn ?? 0) + 1,
      };
    }
  } catch {}
  return undefined;
}

// What stalls a `stream/promises` pipeline, from its streams' own state: `stream/promises pipeline() —
// stage 3 of 3 (Writable) has not called back on a write; 1 chunk waits in it, 16 before it`.
//
// Finding the stages. Node's `pipeline` connects Node streams with `src.pipe(dst)`, but a stage that has
// ended is unpiped from the next (`_readableState.pipes` empty: a Readable of 20 chunks that pushed them
// all, on Node 18–26), so the pipes do not give a stage's place. Node's own closures do: `pipelineImpl`
// puts an `onError` listener on every Node stream of the pipeline, whose closure holds `callback` and
// `destroys` (emptied when the pipeline finishes), and `stream/promises`' `pipeline(...streams)` passes
// as `callback` an arrow whose closure holds `streams`, every stage as the program passed it (generator
// functions too), in order. These are read through the inspector (`[[Scopes]]`, closureVariables in
// heapQuery.ts), which calls nothing; Node's scopes are named `pipelineImpl` and `pipeline` on Node
// 18–26. Streams are the live objects inheriting from Node's `Stream.prototype` (one heap walk, only when
// exactly one operation waits in `pipeline()`); a listener is asked about only when named `onError`.
//
// The stalled stage is the last Node stream whose write has not called back (`writing`): a Transform
// before it may hold a write too (one whose output is full calls back only once read from), and the
// stages after it wait for data. Nothing is said when no stage holds a write (a source that
// never pushes), nor when a stream's state is not plain data (a proxy, the program's accessor) at or
// after the stalled stage (the hidden one may be what stalls) or before it (its chunks are not known).
//
// Matching. Nothing links the promise `pipeline()` returned to its streams (the pipeline's `callback`
// closes over its resolving functions, which do not lead to the promise), so a pipeline's stall is given only
// when one operation waits in `pipeline()` and exactly one `stream/promises` pipeline is pending: it is
// then certainly that operation's. With several, the generic text stands.

import { closureVariables, queryInstances } from './heapQuery';
import { isProxy, ReflectGetOwnPropertyDescriptor } from './intrinsics';
import { STREAM_PIPELINE } from './libraryWaits';
import { asCount, constructorName, inheritsFrom, readProperty } from './nativeReads';
import type { Operation } from './operationModel';
import { readableSide, StreamPrototype, type WritableSide, writableSide } from './streamState';

/**
 * Listeners asked about in one snapshot: each costs a few inspector calls. With more, pipelines would be
 * missed, so none is described.
 */
const MAX_LISTENERS = 500;
/** Stages read of one pipeline. */
const MAX_STAGES = 1000;

/**
 * The `error` listeners named `onError` of every live stream (`pipelineImpl`'s, and any of the
 * program's so named); undefined when there are more than can be asked about.
 */
function pipelineListeners(): object[] | undefined {
  const listeners: object[] = [];
  for (const streams of queryInstances([StreamPrototype])) {
    for (const stream of streams) {
      if (isProxy(stream)) continue;
      const error = readProperty(readProperty(stream, '_events'), 'error');
      // Several listeners are an array of Node's; one that is a proxy is not walked (its traps are code).
      const candidates: unknown[] = [];
      if (Array.isArray(error) && !isProxy(error)) {
        const length = asCount(readProperty(error, 'length')) ?? 0;
        for (let at = 0; at < length && at < MAX_LISTENERS; at++) candidates.push(readProperty(error, at));
      } else candidates.push(error);
      for (const listener of candidates) {
        if (typeof listener !== 'function' || isProxy(listener) || listeners.includes(listener)) continue;
        if (ReflectGetOwnPropertyDescriptor(listener, 'name')?.value !== 'onError') continue;
        if (listeners.length === MAX_LISTENERS) return undefined;
        listeners.push(listener);
      }
    }
  }
  return listeners;
}

/**
 * The stages of every pending `stream/promises` pipeline, each as the program passed them; undefined
 * when not all could be found.
 */
function pendingPipelines(): unknown[][] | undefined {
  const listeners = pipelineListeners();
  if (listeners === undefined) return undefined;
  if (listeners.length === 0) return [];
  const callbacks: object[] = [];
  for (const variables of closureVariables(listeners, 'pipelineImpl', ['callback', 'destroys'])) {
    const callback = variables.get('callback');
    // Finishing empties `destroys`: a pipeline with none left has settled its promise or is about to.
    const pending = (asCount(readProperty(variables.get('destroys'), 'length')) ?? 0) > 0;
    if (typeof callback === 'function' && pending && !callbacks.includes(callback)) callbacks.push(callback);
  }
  if (callbacks.length === 0) return [];
  const pipelines: unknown[][] = [];
  for (const variables of closureVariables(callbacks, 'pipeline', ['streams'])) {
    // A callback without `streams` is the program's own (`stream.pipeline(…, callback)`): no promise.
    if (!variables.has('streams')) continue;
    let streams = variables.get('streams');
    const length = asCount(readProperty(streams, 'length'));
    if (!Array.isArray(streams) || length === undefined) return undefined;
    // `pipeline([a, b, c])`, as `pipelineImpl` reads it.
    const only = readProperty(streams, 0);
    if (length === 1 && Array.isArray(only)) streams = only;
    const total = asCount(readProperty(streams, 'length'));
    if (total === undefined || total > MAX_STAGES) return undefined;
    const stages: unknown[] = [];
    for (let index = 0; index < total; index++) stages.push(readProperty(streams, index));
    pipelines.push(stages);
  }
  return pipelines;
}

/** Whether Node's `Stream.prototype` is on the value's chain, walked without running anything. */
const isNodeStream = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && inheritsFrom(value, StreamPrototype);

const chunks = (n: number) => (n === 1 ? '1 chunk waits' : `${n} chunks wait`);

/** What stalls a pipeline, in words; undefined when no stage holds a write, or a state is not data. */
function stallText(stages: readonly unknown[]): string | undefined {
  let stalled = -1;
  let held: WritableSide | undefined;
  for (let index = stages.length - 1; index >= 0 && held === undefined; index--) {
    const stage = stages[index];
    // A generator stage or an iterable source is no stream: it holds no write.
    if (!isNodeStream(stage)) {
      if (isProxy(stage)) return undefined;
      continue;
    }
    const side = writableSide(stage);
    // A later stage whose state is hidden may be the one that stalls.
    if (side === undefined) return undefined;
    if (side?.writing === true) {
      stalled = index;
      held = side;
    }
  }
  if (held === undefined) return undefined;
  const name = constructorName(stages[stalled]);
  let before = 0;
  const full: number[] = [];
  for (let index = 0; index < stalled; index++) {
    const stream = stages[index];
    // What a generator stage or an iterable source holds is not counted.
    if (!isNodeStream(stream)) continue;
    const readable = readableSide(stream);
    const writable = writableSide(stream);
    if (readable === undefined || writable === undefined) return undefined;
    before += (readable?.buffered ?? 0) + (writable?.buffered ?? 0);
    if (readable?.full) full.push(index + 1);
  }
  const which = `stage ${stalled + 1} of ${stages.length}${name === undefined ? '' : ` (${name})`}`;
  const behind = before > 0 ? `, ${before} before it` : '';
  const fullText =
    full.length === 0 ? '' : ` (${full.length === 1 ? 'stage' : 'stages'} ${full.join(', ')} full)`;
  return `${STREAM_PIPELINE} — ${which} has not called back on a write; ${chunks(1 + held.buffered)} in it${behind}${fullText}`;
}

/**
 * Gives the one operation waiting in `stream/promises`' `pipeline()` what stalls its pipeline, when
 * exactly one such pipeline is pending (above). `waits`: the operations whose awaiting kind is
 * `STREAM_PIPELINE`.
 */
export function describePipelineWaits(waits: readonly Operation[]): void {
  if (waits.length !== 1) return;
  let pipelines: unknown[][] | undefined;
  try {
    pipelines = pendingPipelines();
  } catch {
    // The inspector could not be used: the generic text stands.
    return;
  }
  if (pipelines === undefined || pipelines.length !== 1) return;
  const text = stallText(pipelines[0]);
  if (text === undefined) return;
  const [item] = waits;
  item.awaiting = { text, kind: item.awaiting.kind };
}

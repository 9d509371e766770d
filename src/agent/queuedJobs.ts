// Jobs a queue library starts later, from a promise job of its own, continue their caller's operation.
// p-limit runs every job from a `.then()` on a promise made inside the limited call (so that the job runs
// in its caller's async context): the job's stack ends in the library's `run`, never reaching the caller,
// but the promise hooks gave what the job makes the context of that `.then()`:
// - made in synchronous code (an ES module's top level), the `.then()` promise has a record of its own,
//   whose `context` is the promise made inside the call, `enclosedBy` the call's own (the queued leaf);
// - made inside a promise job, it carries its job's context instead — the caller's — so the job's
//   promises share the queued leaf's parent.
// A leaf is such a job's when its stack's outermost frame is the same library's as the queued leaf's
// call and that context leads to it; the caller's operation then waits where the job waits.
//
// p-queue starts a later job from `queueMicrotask` inside the finishing job's `finally`: no promise links
// it to its caller, whose operation stays `queued` (docs/snapshot-format.md, "Libraries").

import type { CreationRecord } from './creationRecord';
import { SafeMap, SafeSet } from './intrinsics';
import { queuedText } from './libraryWaits';
import { leafAwaiting, packageName } from './operationAwaiting';
import { originOf } from './operationFrames';
import { type Operation, type Shape, type Shaped, shapeOf } from './operationModel';
import type { Frame, ReadStack } from './stackTypes';

/** How far a job's context is followed (`.then()` promise → promise in the call → the call's). */
const MAX_STEPS = 4;

/** The package of the library a queued leaf waits in, per distinct stack; undefined if not queued. */
function queuedPackages(leaves: readonly Shaped[]): Map<Shaped, string> {
  const byStack: Map<ReadStack, string | undefined> = new SafeMap();
  const found: Map<Shaped, string> = new SafeMap();
  for (const item of leaves) {
    let name = byStack.get(item.read);
    if (!byStack.has(item.read)) {
      const at = leafAwaiting(undefined, item.frames, []).queuedAt;
      name = at === undefined ? undefined : packageName(at.file);
      byStack.set(item.read, name);
    }
    if (name !== undefined) found.set(item, name);
  }
  return found;
}

/** The library package whose frame is the outermost of a stack, if a library's. */
function startedBy(read: ReadStack): string | undefined {
  const outermost = read.frames[read.frames.length - 1];
  return outermost !== undefined && originOf(outermost) === 'library'
    ? packageName(outermost.file)
    : undefined;
}

/**
 * Jobs' leaves, by the queued leaf of the call that started them. `records`: every record of the
 * snapshot's pending promises, by number; `running`: queued leaves already known to run their job
 * (started inside the call: nestedWaits.ts).
 */
export function queuedJobCallers(
  leaves: readonly Shaped[],
  records: ReadonlyMap<number, CreationRecord>,
  running: ReadonlySet<Shaped>,
): Map<Shaped, Shaped> {
  const callers: Map<Shaped, Shaped> = new SafeMap();
  const queued = queuedPackages(leaves.filter((item) => !running.has(item)));
  if (queued.size === 0) return callers;
  const queuedByRecord: Map<CreationRecord, Shaped> = new SafeMap();
  const queuedByParent: Map<number, Shaped[]> = new SafeMap();
  for (const [item] of queued) {
    queuedByRecord.set(item.record, item);
    const siblings = queuedByParent.get(item.record.parentNumber) ?? [];
    siblings.push(item);
    queuedByParent.set(item.record.parentNumber, siblings);
  }
  for (const siblings of queuedByParent.values()) siblings.sort((a, b) => a.record.number - b.record.number);
  const taken: Set<Shaped> = new SafeSet();
  const sorted = [...leaves].sort((a, b) => a.record.number - b.record.number);
  for (const job of sorted) {
    if (queued.has(job) || running.has(job)) continue;
    const library = startedBy(job.read);
    if (library === undefined) continue;
    let caller: Shaped | undefined;
    // The `.then()` promise's own record, and what it was made from.
    let at: CreationRecord | undefined = records.get(job.record.parentNumber);
    for (let step = 0; step < MAX_STEPS && at !== undefined && caller === undefined; step++) {
      const found = queuedByRecord.get(at);
      if (found !== undefined && !taken.has(found) && queued.get(found) === library) caller = found;
      at = at.enclosedBy ?? at.context;
    }
    // The caller's context: the oldest call there not yet given a job (the library starts them in order).
    if (caller === undefined) {
      for (const sibling of queuedByParent.get(job.record.parentNumber) ?? []) {
        if (taken.has(sibling) || queued.get(sibling) !== library) continue;
        if (sibling.record.number > job.record.number) break;
        caller = sibling;
        break;
      }
    }
    if (caller === undefined) continue;
    taken.add(caller);
    callers.set(job, caller);
  }
  return callers;
}

/** A job's frames, then its caller's from the call into the library outward. */
export function continuedShape(job: Shaped, caller: Shaped): Shape {
  let at = 0;
  while (at < caller.frames.length && caller.frames[at].origin !== undefined) at++;
  return shapeOf([...job.frames, ...caller.frames.slice(Math.max(0, at - 1))]);
}

/** One count per call into a queue or pool and the program's line that made it. */
class CallCounts {
  private readonly counts: Map<Frame, Map<Frame | undefined, number>> = new SafeMap();

  add(at: Frame, from: Frame | undefined): void {
    let byCaller = this.counts.get(at);
    if (byCaller === undefined) {
      byCaller = new SafeMap();
      this.counts.set(at, byCaller);
    }
    byCaller.set(from, (byCaller.get(from) ?? 0) + 1);
  }

  get(at: Frame, from: Frame | undefined): number {
    return this.counts.get(at)?.get(from) ?? 0;
  }

  get size(): number {
    return this.counts.size;
  }
}

/**
 * Operations waiting in a queue or pool, counted per call they wait at and the program's line that made
 * it (`p-queue — queued, 2 running, 2 waiting`): waiting, those still there; running, the calls there
 * whose job already runs further in. Two queues filled from two lines are counted apart; the library's
 * own state, where it is read (poolWaits.ts, queueWaits.ts), replaces these counts.
 */
export function countQueued(operations: readonly Operation[], bridged: Iterable<Shaped>): void {
  const waiting = new CallCounts();
  const running = new CallCounts();
  for (const item of operations) {
    const at = item.awaiting.queuedAt;
    if (at !== undefined) waiting.add(at, item.awaiting.queuedFrom);
  }
  if (waiting.size === 0) return;
  for (const outer of bridged) {
    const { queuedAt, queuedFrom } = leafAwaiting(undefined, outer.frames, []);
    if (queuedAt !== undefined) running.add(queuedAt, queuedFrom);
  }
  for (const item of operations) {
    const { queuedAt, queuedFrom, kind } = item.awaiting;
    if (queuedAt === undefined) continue;
    const text = queuedText(kind, waiting.get(queuedAt, queuedFrom), running.get(queuedAt, queuedFrom));
    item.awaiting = { text, kind };
  }
}

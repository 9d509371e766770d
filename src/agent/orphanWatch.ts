// Dropped work: a `new Promise` (or `Promise.withResolvers()`) that an operation waits on, or an async
// call's promise, collected by the garbage collector while still pending. A pending promise is collected only when nothing reaches
// it — not its resolving functions, not a timer or socket that would call them — so nothing can ever
// settle it, and every async function suspended on it will never resume: the operation vanished.
//
// The agent registers the leaves and calls that captured a stack (operationLinks.ts; a ring of calls
// awaiting one another that nothing references goes too, with no leaf) with a FinalizationRegistry,
// within a budget of its own (a registration costs a weak cell and a callback later; the budget keeps a
// busy program's cost bounded, as captures are). The registry holds its targets weakly and, as the
// value handed to the callback, the promise's record: the agent's own plain data (frames, times), which
// the promise already keeps alive and which reaches no program object. When the callback finds the
// record still pending — and the hooks followed the promise all along, so that "pending" is known — it
// keeps the stack and the times, in a short list of the latest places and a total count.
//
// V8 calls the callback in a task after a collection: an operation dropped just now would show only
// once the loop has turned — never while a debugger holds the program paused, which is when the user
// looks. So each snapshot also sweeps: the watched records (the agent's own, held in a set until their
// callback runs) whose promise its heap walk did not find alive, after the walk's full collection, were
// collected — reported at once, and not again when their callback runs.

import type { CaptureBudget } from './captureBudget';
import type { CreationRecord } from './creationRecord';
import {
  DateNow,
  FinalizationRegistryRegister,
  firstKeyOf,
  NativeFinalizationRegistry,
  ReflectApply,
  SafeMap,
  SafeSet,
} from './intrinsics';
import { readStack } from './siteResolution';
import type { CapturedStack, ReadStack } from './stackTypes';

/** Places kept, latest last: enough to name what a program drops, bounded whatever it drops. */
export const MAX_ORPHAN_PLACES = 20;

export interface OrphanPlace {
  /** Where it was made, read (shared by every promise captured at the same place). */
  stack: ReadStack;
  /** Operations dropped here. */
  count: number;
  /** The last one's: when it was made and when it was found collected (epoch milliseconds). */
  createdAt: number | undefined;
  collectedAt: number;
}

/** A place as the callback keeps it: its stack as captured, until a snapshot reads it. */
interface CollectedPlace extends Omit<OrphanPlace, 'stack'> {
  stack: ReadStack | CapturedStack;
}

/** A read stack has its site worked out (`site`, maybe undefined); a captured one has raw frames only. */
function isRead(stack: ReadStack | CapturedStack): stack is ReadStack {
  return !('reachesProgram' in stack);
}

export interface OrphanReport {
  /** Operations found dropped since the agent loaded, wherever they were made. */
  total: number;
  places: OrphanPlace[];
}

/**
 * An ES module's body with top-level await, which V8 runs as an async function whose own promise it
 * leaves pending for good (it settles another): its collection drops nothing (measured on Node 18–26).
 */
function isModuleBody(stack: CapturedStack): boolean {
  const top = stack.frames[0];
  return stack.builtin === undefined && top.functionName === undefined && top.line === 1 && top.column === 1;
}

export class OrphanWatch {
  private readonly registry: FinalizationRegistry<CreationRecord>;
  private total = 0;
  // Leaves and calls apart: a dropped chain's calls, collected with its leaf, must not push leaves out.
  // Keyed by the stack as captured, or as read where a snapshot read it already: the callback runs in
  // the program's time, where no stack is read (reading maps sources through Node's source-map code,
  // which looks String methods up as it runs); snapshots read them (`report`).
  private readonly leaves: Map<ReadStack | CapturedStack, CollectedPlace> = new SafeMap();
  private readonly calls: Map<ReadStack | CapturedStack, CollectedPlace> = new SafeMap();
  /** Records of the promises registered and not yet found collected. */
  private readonly watched: Set<CreationRecord> = new SafeSet();

  /**
   * @param followedPeriod the tracking period whose stamps the hooks keep up to date (-1: none)
   */
  constructor(
    private readonly budget: CaptureBudget,
    private readonly followedPeriod: () => number,
  ) {
    this.registry = new NativeFinalizationRegistry<CreationRecord>((record) => this.collected(record));
  }

  /** A captured leaf or call: noted if it is ever collected while pending. Never throws. */
  watch(promise: object, record: CreationRecord): void {
    try {
      const stack = record.stack;
      if (stack?.reachesProgram !== true || isModuleBody(stack) || !this.budget.take()) return;
      ReflectApply(FinalizationRegistryRegister, this.registry, [promise, record]);
      this.watched.add(record);
    } catch {}
  }

  /**
   * After a heap walk numbered `walk` (collectTasks.ts): every watched promise it did not find alive was
   * collected, whether or not its callback has run yet.
   */
  sweep(walk: number): void {
    try {
      for (const record of this.watched) if (record.seenAlive !== walk) this.collected(record);
    } catch {}
  }

  /** The places, their stacks read (a snapshot's time), one per place. */
  report(): OrphanReport {
    const places: OrphanPlace[] = [];
    for (const kept of [this.leaves, this.calls]) {
      const byRead: Map<ReadStack, OrphanPlace> = new SafeMap();
      for (const place of kept.values()) {
        const stack = isRead(place.stack) ? place.stack : readStack(place.stack);
        const known = byRead.get(stack);
        if (known === undefined) byRead.set(stack, { ...place, stack });
        else {
          // Collected once before a snapshot read its stack and again after: one place.
          const latest = place.collectedAt >= known.collectedAt ? place : known;
          byRead.set(stack, { ...latest, stack, count: known.count + place.count });
        }
      }
      for (const place of byRead.values()) places.push(place);
    }
    return { total: this.total, places };
  }

  private collected(record: CreationRecord): void {
    try {
      // Found by a snapshot's sweep already, or never watched.
      if (!this.watched.delete(record)) return;
      // Settled, or followed by hooks that have since paused (a settlement may have gone unseen).
      if (record.settled || record.period !== this.followedPeriod()) return;
      // A snapshot that showed the promise, or another at its place, has read its stack already.
      const stack = record.read ?? record.stack?.read ?? record.stack;
      if (stack === undefined) return;
      this.total += 1;
      const places = stack.builtin === undefined ? this.calls : this.leaves;
      const known = places.get(stack);
      const place: CollectedPlace = {
        stack,
        count: (known?.count ?? 0) + 1,
        createdAt: record.createdAt,
        collectedAt: DateNow(),
      };
      // Latest last: a place seen again moves to the end; the oldest goes when the list is full.
      places.delete(stack);
      if (places.size >= MAX_ORPHAN_PLACES) places.delete(firstKeyOf(places) as ReadStack | CapturedStack);
      places.set(stack, place);
    } catch {}
  }
}

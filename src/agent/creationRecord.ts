// What the agent remembers about one promise or async resource, and how it attaches that to the
// object itself. Records hang off the objects they describe (private class fields added through the
// "return override" trick), never off a registry: the garbage collector takes a dropped promise and its
// record together, even when the promise never settles, and the pending set is found at snapshot time
// by walking the heap. A private field is invisible to the program (no own key, nothing in
// `util.inspect`, `Object.getOwnPropertySymbols` or `assert.deepStrictEqual`) and costs about what a
// property store does — a fraction of a `WeakMap.set` (measured: BENCHMARKS.md).

import type { ResolvedStack } from './collectTasks';
import type { CapturedStack, ReadStack } from './stackFrames';

/** Promises count up from 1; async resources use their asyncId, negated, so the two never collide. */
export type RecordNumber = number;

export const MAX_FALLBACK_DEPTH = 3;

export class CreationRecord {
  /** Set by the `settled` hook; resources are never settled, they are destroyed (and collected). */
  settled = false;
  /** The record whose stack gives this one's site: itself when it has a stack, else an ancestor's. */
  siteSource: CreationRecord | undefined;
  /** Shared by every settled promise created in this record's context, so settling allocates nothing. */
  settledMarker: SettledContext | undefined;
  /** Created by `then` or `await` on another promise (the hook's `parent`), not by `new` or a call. */
  derived = false;
  /** A promise that existed before the agent loaded: Node's bootstrap, or another preloaded module. */
  predatesAgent = false;
  /** The stack read, once a snapshot has shown it. */
  read: ReadStack | undefined;
  /** Where this record's site comes from, resolved by the first snapshot that shows it. */
  resolved: ResolvedStack | undefined;
  /**
   * Where to look when this record's own stack turns out to hold only Node's frames (a server whose
   * handle is made in a `nextTick` after a DNS lookup): the site source of the context it was created
   * in. Chains are cut at MAX_FALLBACK_DEPTH so that records never keep an unbounded line of
   * ancestors alive (a timer re-armed from its own callback, forever).
   */
  fallback: CreationRecord | undefined;
  fallbackDepth = 0;

  constructor(
    readonly number: RecordNumber,
    /** The record of the code that created it (promise parent, or the resource whose callback ran). */
    readonly parentNumber: RecordNumber,
    readonly type: string,
    /** Epoch milliseconds; undefined for promises first seen by a snapshot rather than at creation. */
    readonly createdAt: number | undefined,
    readonly stack: CapturedStack | undefined,
    inheritedFrom: CreationRecord | undefined,
  ) {
    if (stack) {
      this.siteSource = this;
      const fallback = inheritedFrom?.siteSource;
      if (fallback !== undefined && fallback.fallbackDepth < MAX_FALLBACK_DEPTH) {
        this.fallback = fallback;
        this.fallbackDepth = fallback.fallbackDepth + 1;
      }
    } else {
      this.siteSource = inheritedFrom?.siteSource;
    }
  }

  get id(): string {
    return formatRecordId(this.number);
  }
}

export function formatRecordId(number: RecordNumber): string {
  return number < 0 ? `r${-number}` : `p${number}`;
}

/** The marker a settled context promise carries, so its state is known without a record of its own. */
export class SettledContext {
  constructor(readonly context: CreationRecord) {}
}

/** Constructors that return their argument, so subclasses add private fields to any object. */
class ReturnsTarget {
  constructor(target: object) {
    // biome-ignore lint/correctness/noConstructorReturn: the return-override trick attaches private fields to objects we did not construct
    return target as ReturnsTarget;
  }
}

/** A promise's or resource's own record. */
export class OwnRecordStamp extends ReturnsTarget {
  #record: CreationRecord;

  private constructor(target: object, record: CreationRecord) {
    super(target);
    this.#record = record;
  }

  static attach(target: object, record: CreationRecord): void {
    new OwnRecordStamp(target, record);
  }

  static read(target: object): CreationRecord | undefined {
    return #record in target ? (target as OwnRecordStamp).#record : undefined;
  }
}

/**
 * A promise created inside a promise job, in the default mode: no record of its own (that would cost
 * an allocation and a clock read per promise), only the record of the job's context — the nearest
 * ancestor whose site is known. Replaced by a `SettledContext` when it settles.
 */
export class ContextStamp extends ReturnsTarget {
  #context: CreationRecord | SettledContext;

  private constructor(target: object, context: CreationRecord) {
    super(target);
    this.#context = context;
  }

  static attach(target: object, context: CreationRecord): void {
    new ContextStamp(target, context);
  }

  static read(target: object): CreationRecord | SettledContext | undefined {
    return #context in target ? (target as ContextStamp).#context : undefined;
  }

  static markSettled(target: object): void {
    if (!(#context in target)) return;
    const context = (target as ContextStamp).#context;
    if (context instanceof CreationRecord) (target as ContextStamp).#context = settledContextOf(context);
  }
}

/** One shared marker per context record, so settling allocates nothing after the first time. */
function settledContextOf(record: CreationRecord): SettledContext {
  if (record.settledMarker === undefined) record.settledMarker = new SettledContext(record);
  return record.settledMarker;
}

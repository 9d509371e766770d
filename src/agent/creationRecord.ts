// What the agent remembers about one promise or async resource, and how it attaches that to the
// object itself. Records hang off the objects they describe (private class fields added through the
// "return override" trick), never off a registry: the garbage collector takes a dropped promise and its
// record together, even when the promise never settles, and the pending set is found at snapshot time
// by walking the heap. A private field is invisible to the program (no own key, nothing in
// `util.inspect`, `Object.getOwnPropertySymbols` or `assert.deepStrictEqual`) and costs about what a
// property store does — a fraction of a `WeakMap.set` (measured: BENCHMARKS.md).

import type { CapturedStack, ReadStack, ResolvedStack } from './stackTypes';

/** Promises count up from 1; async resources use their asyncId, negated, so the two never collide. */
export type RecordNumber = number;

export const MAX_FALLBACK_DEPTH = 3;

/** What an undici request a promise's executor dispatched asks, and how far it got (fetchRequests.ts). */
export interface FetchRequest {
  /** `GET http://127.0.0.1:8080/stock/7` */
  text: string;
  phase: 'waiting for response headers' | 'reading the body' | 'done';
}

export class CreationRecord {
  /**
   * Set when the promise settled (the `settled` hook, or a snapshot that asked V8); resources are never
   * settled, they are collected.
   */
  settled = false;
  /**
   * The tracking period (see promiseTracker.ts) during which the hooks follow this promise's state: a
   * snapshot trusts `settled` only while that period lasts, and asks V8 otherwise.
   */
  period = 0;
  /** The record whose stack gives this one's site: itself when it has a stack, else an ancestor's. */
  siteSource: CreationRecord | undefined;

  // Written rarely (at snapshot time, or for the few records with a stack): declared, not initialized,
  // so that creating a record — on the hot path — writes only the fields above and the parameters.

  /** `OWN_RECORD`, from the prototype: tells a record from a context link in a stamp. */
  declare readonly kind: typeof OWN_RECORD;
  /** The pending link for promises created in this record's context (see ContextLink). */
  declare link: ContextLink | undefined;
  /** A promise that existed before the agent loaded: Node's bootstrap, or another preloaded module. */
  declare predatesAgent: boolean | undefined;
  /** A promise found without a record after tracking paused under load: made during a pause. */
  declare untracked: boolean | undefined;
  /** The number of the last heap walk that found this promise alive (orphanWatch.ts `sweep`). */
  declare seenAlive: number | undefined;
  /** The stack read, once a snapshot has shown it. */
  declare read: ReadStack | undefined;
  /**
   * Not a task but a synchronous run (see promiseTracker.ts): the promises linked to it were created
   * during the run, so they share its time and parent.
   */
  declare run: boolean | undefined;
  /**
   * A run inside a promise job: the record of the chain the job continues — the first run or record of
   * it, never a run that continues another, so that a loop awaiting for hours keeps one record alive,
   * not one per iteration. Past the budget, a request's promises made in its socket callback and those
   * made in the jobs after its first `await` are then one row (operationParts.ts), not two. A leaf
   * captured in a job whose chain has no stack: the first record of that chain (flowContinuations.ts).
   */
  declare continues: CreationRecord | undefined;
  /** Its stack holds only Node's frames: a context whose promises deserve stacks of their own. */
  declare internalOnly: boolean | undefined;
  /** Where this record's site comes from, resolved by the first snapshot that shows it. */
  declare resolved: ResolvedStack | undefined;
  /**
   * Where to look when this record's own stack turns out to hold only Node's frames (a server whose
   * handle is made in a `nextTick` after a DNS lookup): the site source of the context it was created
   * in. Chains are cut at MAX_FALLBACK_DEPTH so that records never keep an unbounded line of
   * ancestors alive (a timer re-armed from its own callback, forever).
   */
  declare fallback: CreationRecord | undefined;
  declare fallbackDepth: number | undefined;

  // What operations are made of (operationLinks.ts, operations.ts).
  /**
   * When the operation this promise belongs to began: the time of the synchronous run (main script,
   * callback) that started its chain, carried from context to context through promise jobs. Written
   * right after construction by every maker of records: initialized here, with `context`, so that
   * records keep one shape (a record of `all` mode is per promise; shapes added later cost a property
   * array each, and heap that snapshot's full collections walk).
   */
  startedAt: number | undefined = undefined;
  /**
   * An `await`'s or `.then()`'s record: the record of the nearest promise it follows that was made by
   * `new` or a call (never a chain of them: a `.then()` chain built for hours must not keep every
   * record of it alive). A record made when a snapshot first sent a promise known only by its context:
   * that context.
   */
  context: CreationRecord | undefined = undefined;
  /** The combinator (`Promise.all` …) this promise is an element of, and its place there. */
  declare combinator: CreationRecord | undefined;
  declare combinatorIndex: number | undefined;
  /** A combinator's promise: how many elements it was given. */
  declare elements: number | undefined;
  /** A `new Promise` made inside another's executor: that one, which the program awaits. */
  declare enclosedBy: CreationRecord | undefined;
  /** A resource: the `new Promise` whose executor made it (or made what made it). */
  declare leaf: CreationRecord | undefined;
  /** A `new Promise` whose executor dispatched an undici request (fetchRequests.ts): what it asks. */
  declare request: FetchRequest | undefined;
  /** An async call's or a combinator's promise: an `await` on it notes it as `awaits` (awaitSteps.ts). */
  declare awaitable: boolean | undefined;
  /**
   * An `await` with a stack of its own on an awaitable promise (an async call, a combinator): that
   * promise's record. While pending, it says which function waits on which operation, and where.
   */
  declare awaits: CreationRecord | undefined;

  constructor(
    readonly number: RecordNumber,
    /** The record of the code that created it (promise parent, or the resource whose callback ran). */
    readonly parentNumber: RecordNumber,
    readonly type: string,
    /** Epoch milliseconds; undefined for promises first seen by a snapshot rather than at creation. */
    readonly createdAt: number | undefined,
    /** The captured stack (plain frames), until a snapshot reads it into `read`. */
    public stack: CapturedStack | undefined,
    inheritedFrom: CreationRecord | undefined,
    /** Created by `then` or `await` on another promise (the hook's `parent`), not by `new` or a call. */
    readonly derived = false,
  ) {
    if (stack) {
      this.siteSource = this;
      // A stack that reaches the program's code needs no fallback: keeping one would keep the records
      // of ancestors the program has long dropped (in `all` mode, for every promise).
      const fallback = stack.reachesProgram ? undefined : inheritedFrom?.siteSource;
      const depth = fallback?.fallbackDepth ?? 0;
      if (fallback !== undefined && depth < MAX_FALLBACK_DEPTH) {
        this.fallback = fallback;
        this.fallbackDepth = depth + 1;
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

/**
 * What a promise created inside a promise job carries in the default mode instead of a record of its
 * own (that would cost an allocation and a clock read per promise): a link to the job's context record
 * — the nearest ancestor whose site is known. Each record has one pending and one settled link, made
 * the first time they are needed and shared by all such promises, so stamping and settling allocate
 * nothing.
 */
export class ContextLink {
  declare counterpart: ContextLink;
  /**
   * On the pending link for promises made by `new` or a call: the pending link for promises made by
   * `await` or `.then()` in the same context (their kind is all a snapshot knows of them).
   */
  declare derived: ContextLink;
  /** Whether the context is Node's own code (see promiseTracker.ts), once worked out. */
  declare opaque: boolean | undefined;
  constructor(
    readonly kind: typeof PENDING_CONTEXT | typeof SETTLED_CONTEXT,
    readonly record: CreationRecord,
    /** The tracking period of the promises stamped with it (see CreationRecord.period). */
    readonly period: number,
    /** Stamped on promises made by `await` or `.then()` (the hook's `parent` was set). */
    readonly isDerived: boolean,
  ) {}
}

export const OWN_RECORD = 0;
export const PENDING_CONTEXT = 1;
export const SETTLED_CONTEXT = 2;

/** A stamp holds a promise's or resource's own record, or a link to its context's record. */
export type StampValue = CreationRecord | ContextLink;

// On the prototype, so that records carry `kind` without writing it on creation.
Object.defineProperty(CreationRecord.prototype, 'kind', { value: OWN_RECORD });

/** The pending link to a record for promises created in its context during tracking period `period`. */
export function pendingLinkOf(record: CreationRecord, period: number): ContextLink {
  let link = record.link;
  if (link === undefined || link.period !== period) {
    link = linkPair(record, period, false);
    link.derived = linkPair(record, period, true);
    record.link = link;
  }
  return link;
}

function linkPair(record: CreationRecord, period: number, derived: boolean): ContextLink {
  const pending = new ContextLink(PENDING_CONTEXT, record, period, derived);
  const settled = new ContextLink(SETTLED_CONTEXT, record, period, derived);
  pending.counterpart = settled;
  settled.counterpart = pending;
  return pending;
}

/** The record a stamp stands for: the object's own, or its context's. */
export function recordOfStamp(value: StampValue): CreationRecord {
  return value.kind === OWN_RECORD ? value : value.record;
}

/** Constructors that return their argument, so subclasses add private fields to any object. */
class ReturnsTarget {
  constructor(target: object) {
    // biome-ignore lint/correctness/noConstructorReturn: the return-override trick attaches private fields to objects we did not construct
    return target as ReturnsTarget;
  }
}

/** The one private field the agent adds to promises and resources. */
export class Stamp extends ReturnsTarget {
  #value: StampValue;

  private constructor(target: object, value: StampValue) {
    super(target);
    this.#value = value;
  }

  /** Stamps an object that has no stamp yet. */
  static attach(target: object, value: StampValue): void {
    new Stamp(target, value);
  }

  static read(target: object): StampValue | undefined {
    return #value in target ? (target as Stamp).#value : undefined;
  }

  /** Replaces the stamp of an object that has one. */
  static replace(target: object, value: StampValue): void {
    (target as Stamp).#value = value;
  }
}

/** Stands for "created in a job whose context the agent never saw" (before it loaded). */
export const UNKNOWN_CONTEXT = new CreationRecord(0, 0, 'PROMISE', undefined, undefined, undefined);

/** A context as its chain knows it: an `await`'s or `.then()`'s record stands for what it followed. */
export function chainRecordOf(context: CreationRecord): CreationRecord {
  return context.derived ? (context.context ?? context) : context;
}

/**
 * The record a chain known only by its context is listed by: a run inside a job is the chain its job
 * continues (`continues`), an `await` belongs to what it awaited.
 */
export function flowRootOf(context: CreationRecord): CreationRecord {
  const own = chainRecordOf(context);
  return own.continues ?? own;
}

/** The record that describes what a promise's reactions run in: its own, or its context's. */
export function contextOf(target: object): CreationRecord | undefined {
  const value = Stamp.read(target);
  return value === undefined ? undefined : recordOfStamp(value);
}

/**
 * The pending link of tracking period `period` for promises made while a job of a promise with this
 * stamp runs: the stamp's own link where it is of this period (the usual case), else a new one.
 */
export function contextLinkOf(value: StampValue | undefined, period: number): ContextLink {
  return pendingLinkOf(value === undefined ? UNKNOWN_CONTEXT : recordOfStamp(value), period);
}

/** What the `settled` hook does: the promise's stamp, if it has one, turns to its settled form. */
export function settleStamp(promise: object): void {
  const value = Stamp.read(promise);
  if (value === undefined) return;
  if (value.kind === OWN_RECORD) value.settled = true;
  else if (value.kind === PENDING_CONTEXT) Stamp.replace(promise, value.counterpart);
}

// What the promise hooks note, beyond each promise's own stamp, so that a snapshot can tell operations
// apart (operations.ts): which promises something waits on, which are elements of a `Promise.all`
// (and how many elements it was given), and which `new Promise` an async resource was made for.
// Every note is a field on a record that already exists: nothing here allocates on the hot path.
// (Which promise awaits which is not noted: `await 5` makes a promise whose hook `parent` is the
// awaiting function's own promise, as `x.then()` makes one whose parent is `x` — measured on Node 18–26
// — so a parent says nothing about who waits for whom; operations.ts finds chains by their stacks.)
//
// V8 shows these only as a sequence of hook calls, so they are read off the sequence:
// - `Promise.all(iterable)` makes its own promise, then one derived promise per element (its `then`),
//   all before it returns (measured on Node 18–26, test/unit/agent/operations*.test.ts). After a
//   captured combinator promise, derived promises count as its elements until a job starts or ends,
//   another synchronous run begins, something awaits the combinator itself, or something awaits a
//   promise made by Node's code alone (an ES module's evaluation promise, awaited by the loader).
// - `new Promise(executor)` calls the hook before the executor runs: resources the executor makes
//   before the next promise belong to that promise (a timer, a socket), and what they make in turn
//   inherits it (resourceTracker.ts).

import { type CreationRecord, OWN_RECORD, Stamp } from './creationRecord';
import { executionAsyncId, SafeSet } from './intrinsics';
import type { RawFrame } from './stackTypes';

/** How a captured promise came to be, from the built-in on top of its stack (stackCapture.ts). */
export type PromiseKind = 'leaf' | 'combinator' | 'call' | 'step';

const LEAF_BUILTINS: ReadonlySet<string> = new SafeSet(['new Promise', 'Promise.withResolvers']);
const COMBINATORS: ReadonlySet<string> = new SafeSet([
  'Promise.all',
  'Promise.allSettled',
  'Promise.any',
  'Promise.race',
]);

/**
 * `leaf`: something a chain waits on that no async function of the program runs (`new Promise`,
 * Node's internal promises); `combinator`: `Promise.all` and its kin; `call`: an async function's own
 * promise (no built-in on top: the function itself is); `step`: another built-in's promise, such as an
 * async generator's `next()`, which stands between a chain and what it waits on.
 */
export function promiseKindOf(builtin: string | undefined): PromiseKind {
  const name = builtinName(builtin);
  if (name === undefined) return 'call';
  if (COMBINATORS.has(name)) return 'combinator';
  return LEAF_BUILTINS.has(name) ? 'leaf' : 'step';
}

/**
 * `Promise.all` whatever V8 called the frame: a static method called on the constructor is named by
 * its type (`Promise.all`), one called through a subclass or a saved reference only by itself (`all`).
 */
export function builtinName(builtin: string | undefined): string | undefined {
  if (builtin === undefined) return undefined;
  const promiseStatic = `Promise.${builtin}`;
  return COMBINATORS.has(promiseStatic) || LEAF_BUILTINS.has(promiseStatic) ? promiseStatic : builtin;
}

/** The same function (name and file): frames of one function at different lines. */
function sameFunction(a: RawFrame | undefined, b: RawFrame | undefined): boolean {
  return a !== undefined && b !== undefined && a.functionName === b.functionName && a.file === b.file;
}

/**
 * Whether `record` is the promise of the async call that made `combinator` (`return Promise.all(…)` in
 * `handle`, then `handle(1).catch(…)` in the loop that called it): what the caller does with it next is
 * no element. An element that is a call of the same function (recursion) was called from the
 * combinator's own line.
 */
function enclosesCombinator(record: CreationRecord, combinator: CreationRecord): boolean {
  const own = record.stack;
  const made = combinator.stack?.frames[0];
  if (own === undefined || own.builtin !== undefined || record.number > combinator.number) return false;
  if (!sameFunction(own.frames[0], made)) return false;
  const caller = own.frames[1];
  return !(caller !== undefined && sameFunction(caller, made) && caller.line === made?.line);
}

export class OperationLinks {
  /** The `new Promise` whose executor may be running now (until the next promise hook call). */
  executorLeaf: CreationRecord | undefined;
  /** The one whose executor ran when the current promise hook call began. */
  private enclosing: CreationRecord | undefined;
  /** The combinator whose elements are being counted, and the synchronous run it was made in. */
  private combinator: CreationRecord | undefined;
  private combinatorAsyncId = -1;

  /** A promise made by `await`, `.then()` or a combinator on `parent`. */
  derived(parent: object, inJob: boolean): void {
    const combinator = this.combinator;
    if (combinator === undefined) return;
    const value = Stamp.read(parent);
    const record = value !== undefined && value.kind === OWN_RECORD ? value : undefined;
    // An ES module's top-level code runs inside one of Node's promise jobs: once it ends, the loader
    // awaits the module's evaluation promise in the same job — a promise whose stack is Node's alone,
    // which no element of the program's `Promise.all` has (it was counted as one more element).
    const nodeOwn = record?.stack !== undefined && !record.stack.reachesProgram;
    if (
      record === combinator ||
      nodeOwn ||
      (!inJob && executionAsyncId() !== this.combinatorAsyncId) ||
      (record !== undefined && enclosesCombinator(record, combinator))
    ) {
      this.combinator = undefined;
      return;
    }
    const index = combinator.elements ?? 0;
    combinator.elements = index + 1;
    if (record !== undefined) {
      record.combinator = combinator;
      record.combinatorIndex = index;
    }
  }

  /** Every promise hook `init` begins here: an executor that made a promise has ended its run. */
  promiseMade(): void {
    this.enclosing = this.executorLeaf;
    this.executorLeaf = undefined;
  }

  /** A promise was captured with its stack: note it if it is a leaf or a combinator. */
  captured(record: CreationRecord, builtin: string | undefined): PromiseKind {
    const kind = promiseKindOf(builtin);
    if (kind === 'call') record.awaitable = true;
    else if (kind === 'leaf') {
      // Node 26's stream iterator makes its `new Promise` inside another's executor: one wait.
      if (this.enclosing !== undefined) record.enclosedBy = this.enclosing;
      this.executorLeaf = record;
    } else if (kind === 'combinator') {
      record.awaitable = true;
      record.elements = 0;
      this.combinator = record;
      this.combinatorAsyncId = executionAsyncId();
    }
    return kind;
  }

  /**
   * The record of `parent` when an `await` on it is worth a stack (awaitSteps.ts): an async call's or
   * a combinator's promise that was captured. One private-field read.
   */
  awaitTarget(parent: object): CreationRecord | undefined {
    const value = Stamp.read(parent);
    return value !== undefined && value.kind === OWN_RECORD && value.awaitable === true ? value : undefined;
  }

  /** A promise job starts or ends: no executor or combinator call spans it. */
  jobBoundary(): void {
    this.executorLeaf = undefined;
    this.enclosing = undefined;
    this.combinator = undefined;
  }
}

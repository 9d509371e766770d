// Sorts what is pending into what operations are made of (operations.ts): promises that captured a
// stack (leaves, combinators, async calls), promises known only by the context they were made in
// (past the capture budget, or during a pause: "flows"), and the resources each `new Promise`'s
// executor made. Promises made by `await` and `.then()` are parts of the chain they follow and say
// nothing of their own, but for an `await` on an async call or a combinator that captured a stack: a
// *step*, which says where one function waits on which other operation (awaitSteps.ts).

import type { ActiveResource } from './activeResources';
import { BEFORE_AGENT, DURING_PAUSE, type TaskEntry } from './collectTasks';
import { type CreationRecord, chainRecordOf, flowRootOf } from './creationRecord';
import { SafeMap } from './intrinsics';
import { type PromiseKind, promiseKindOf } from './operationLinks';
import { ownStack } from './siteResolution';
import type { ReadStack } from './stackTypes';

export interface CapturedPromise {
  record: CreationRecord;
  read: ReadStack;
  kind: PromiseKind;
}

/** Pending promises with no stack of their own, by the record of the context they were made in. */
export interface Flow {
  record: CreationRecord;
  promises: number;
  /** Why they have no stack. */
  reason: 'budget' | 'paused' | 'beforeAgent';
  /** The number of the chain's first record, which leaves captured later in it name (flowRootOf). */
  root: number;
}

export interface OperationParts {
  captured: CapturedPromise[];
  /** Pending awaits on captured async calls and combinators, with stacks of their own. */
  steps: CapturedPromise[];
  flows: Flow[];
  /** Resources made by each `new Promise`'s executor, by the promise's record. */
  resourcesOf: Map<CreationRecord, ActiveResource[]>;
}

export function sortParts(entries: readonly TaskEntry[], includeInternals: boolean): OperationParts {
  const captured: CapturedPromise[] = [];
  // By reason and the context's number — and an `await` (a derived record) by what it awaited, so that
  // a call made past the budget and the promises its awaits make later are one row, as they are one
  // operation. Keyed by number, not by a string made per promise: 100 000 promises past the budget
  // would each allocate one.
  const flows: Flow[] = [];
  const flowsByReason: Map<Flow['reason'], Map<number, Flow>> = new SafeMap();
  const steps: CapturedPromise[] = [];
  const resourcesOf: Map<CreationRecord, ActiveResource[]> = new SafeMap();
  const addToFlow = (context: CreationRecord, reason: Flow['reason']) => {
    const own = chainRecordOf(context);
    // A run inside a job is the chain its job continues (CreationRecord.continues): one row with it.
    const root = flowRootOf(context);
    const record = root === own ? context : root;
    let byNumber = flowsByReason.get(reason);
    if (byNumber === undefined) {
      byNumber = new SafeMap();
      flowsByReason.set(reason, byNumber);
    }
    const flow = byNumber.get(root.number);
    if (flow !== undefined) {
      flow.promises += 1;
      return;
    }
    const made: Flow = { record, promises: 1, reason, root: root.number };
    byNumber.set(root.number, made);
    flows.push(made);
  };
  for (const entry of entries) {
    const { record } = entry;
    if (entry.resource !== undefined) {
      const leaf = record?.leaf;
      if (leaf === undefined) continue;
      const list = resourcesOf.get(leaf);
      if (list === undefined) resourcesOf.set(leaf, [entry.resource]);
      else list.push(entry.resource);
      continue;
    }
    if (entry.predatesAgent) {
      if (includeInternals) addToFlow(BEFORE_AGENT, 'beforeAgent');
      continue;
    }
    if (entry.untracked) {
      addToFlow(DURING_PAUSE, 'paused');
      continue;
    }
    if (record === undefined) {
      if (!entry.derived && entry.context !== undefined) addToFlow(entry.context, 'budget');
      continue;
    }
    if (record.derived) {
      const read = record.awaits === undefined ? undefined : ownStack(record);
      // `.then()` names its built-in; an `await` has the awaiting function itself on top.
      if (read !== undefined && read.builtin === undefined) steps.push({ record, read, kind: 'step' });
      continue;
    }
    const read = ownStack(record);
    // A promise of synchronous code past the budget, sent once and given a record then: still known
    // only by what it inherits.
    if (read === undefined) addToFlow(record.context ?? record, 'budget');
    else captured.push({ record, read, kind: promiseKindOf(read.builtin) });
  }
  return { captured, steps, flows, resourcesOf };
}

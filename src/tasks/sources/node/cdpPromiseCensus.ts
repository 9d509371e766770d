// The fallback when the agent is not loaded (attach sessions, injection off): count the program's
// promises through the Chrome DevTools Protocol. `Runtime.queryObjects` finds every live object whose
// prototype chain holds Promise.prototype (it forces a GC first, so dropped promises are not
// counted); each promise's `[[PromiseState]]` is an internal property only `Runtime.getProperties`
// reads, one round trip per promise, so states are read for the first `maxExamined` only. No
// creation sites: the agent records those at creation time, which nothing can do afterwards.
// Nothing here calls into the program's promises (no `.then`): that would mark rejected promises as
// handled and change the program's behaviour.
import type { Snapshot, TaskGroup, TaskState } from '../../../snapshot/format';

/** Sends one CDP command and resolves with its result. */
export type CdpSend = (method: string, params?: Record<string, unknown>) => Promise<Record<string, unknown>>;

const OBJECT_GROUP = 'asyncToolkitCensus';

export interface CensusOptions {
  /** Promises whose state is read; the rest are counted only. */
  maxExamined: number;
  /** How many `getProperties` requests are in flight at once. */
  concurrency?: number;
}

interface RemoteObject {
  objectId?: string;
  value?: unknown;
}

async function evaluateByValue(send: CdpSend, expression: string): Promise<unknown> {
  const { result } = (await send('Runtime.evaluate', { expression, returnByValue: true, silent: true })) as {
    result: RemoteObject;
  };
  return result.value;
}

async function promiseState(send: CdpSend, objectId: string): Promise<TaskState | undefined> {
  const { internalProperties } = (await send('Runtime.getProperties', { objectId, ownProperties: true })) as {
    internalProperties?: { name: string; value?: RemoteObject }[];
  };
  const state = internalProperties?.find((property) => property.name === '[[PromiseState]]')?.value?.value;
  if (state === 'pending') return 'pending';
  if (state === 'fulfilled') return 'resolved';
  if (state === 'rejected') return 'rejected';
  return undefined;
}

/** Counts live promises by state; a Snapshot of groups without tasks, and an `error` saying what is missing. */
export async function takePromiseCensus(
  send: CdpSend,
  options: CensusOptions,
  explanation: string,
): Promise<Snapshot> {
  try {
    const pid = Number(await evaluateByValue(send, 'typeof process === "object" ? process.pid : 0')) || 0;
    const prototype = (await send('Runtime.evaluate', {
      expression: 'Promise.prototype',
      objectGroup: OBJECT_GROUP,
      silent: true,
    })) as { result: RemoteObject };
    const { objects } = (await send('Runtime.queryObjects', {
      prototypeObjectId: prototype.result.objectId,
      objectGroup: OBJECT_GROUP,
    })) as { objects: RemoteObject };
    // The first promises as an array of their own, so that one getProperties lists only those.
    const head = (await send('Runtime.callFunctionOn', {
      objectId: objects.objectId,
      functionDeclaration: 'function (n) { return [this.length, this.slice(0, n)]; }',
      arguments: [{ value: options.maxExamined }],
      objectGroup: OBJECT_GROUP,
      silent: true,
    })) as { result: RemoteObject };
    const parts = (await send('Runtime.getProperties', {
      objectId: head.result.objectId,
      ownProperties: true,
    })) as {
      result: { name: string; value?: RemoteObject }[];
    };
    const total = Number(parts.result.find((entry) => entry.name === '0')?.value?.value ?? 0);
    const sampleId = parts.result.find((entry) => entry.name === '1')?.value?.objectId;
    const sample = sampleId
      ? ((await send('Runtime.getProperties', { objectId: sampleId, ownProperties: true })) as {
          result: { name: string; value?: RemoteObject }[];
        })
      : { result: [] };
    const promiseIds = sample.result
      .filter((entry) => /^\d+$/.test(entry.name) && entry.value?.objectId)
      .map((entry) => entry.value?.objectId as string);
    const states: Partial<Record<TaskState, number>> = {};
    const concurrency = options.concurrency ?? 32;
    for (let start = 0; start < promiseIds.length; start += concurrency) {
      const batch = await Promise.all(
        promiseIds.slice(start, start + concurrency).map((id) => promiseState(send, id)),
      );
      for (const state of batch) if (state) states[state] = (states[state] ?? 0) + 1;
    }
    const examined = promiseIds.length;
    const groups: TaskGroup[] = (['pending', 'rejected', 'resolved'] as const)
      .filter((state) => states[state])
      .map((state) => ({
        id: `census:${state}`,
        label:
          examined < total ? `Promise — ${state} (of the first ${examined} examined)` : `Promise — ${state}`,
        kind: 'type',
        count: states[state] ?? 0,
        states: { [state]: states[state] },
        taskIds: [],
      }));
    if (examined < total) {
      groups.push({
        id: 'census:unexamined',
        label: 'Promise — state not read',
        kind: 'type',
        count: total - examined,
        taskIds: [],
      });
    }
    return {
      version: 1,
      runtime: 'node',
      pid,
      takenAt: Date.now(),
      tasks: [],
      groups,
      truncated: { totalTasks: total, sentTasks: 0 },
      error: explanation,
    };
  } finally {
    await send('Runtime.releaseObjectGroup', { objectGroup: OBJECT_GROUP }).catch(() => undefined);
  }
}

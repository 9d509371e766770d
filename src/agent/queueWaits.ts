// What a p-queue says about the waits in `queue.add()`: `p-queue — queued, 2 of 2 running, 2 waiting`.
// p-queue keeps its state in private fields (p-queue 7–9: `#pending`, `#concurrency`, and `#queue`, a
// priority queue whose own `#queue` array holds the waiting jobs from `#head` on, 9.x) or, in 6.x, in
// plain ones (`_pendingCount`, `_concurrency`, `_queue._queue`); the inspector reads private fields
// without calling anything. Queues are found as the live objects of eventemitter3's EventEmitter (which
// PQueue extends; p-queue is an ES module, eventemitter3 a CommonJS one in `require.cache`) whose
// class, or a class it extends, is named `PQueue` — one heap walk, only when an operation waits in
// `add()`.
//
// Nothing links the promise `add()` returned to its queue (V8 exposes neither its resolving functions'
// promise nor the queued job's), so a queue's state is given only when one live queue has work: a
// pending `add()` is then certainly that queue's. With several busy queues the counts from the stacks
// stand (`p-queue — queued, 2 running, 2 waiting`).
//
// A job the queue started later — when a running one finished, from a microtask p-queue queued then —
// runs with nothing of its caller on its stack: it is an operation of its own, started by p-queue's
// `run`. Its caller is still found, by the queue's order: with equal priorities p-queue starts jobs in
// the order of the `add()` calls, and a call's promise settles with its job, so the pending calls whose
// jobs run are the earliest pending ones, and the k-th of them runs the k-th job started. This is
// claimed only when the counts agree exactly (callers not queued = such jobs, no more than the queue
// runs) and the jobs' start times order them without a tie; the caller's operation then waits where its
// job waits, as when the job started inside `add()`.

import { privateFieldsOf, queryInstances } from './heapQuery';
import { isProxy, ReflectGetOwnPropertyDescriptor, ReflectGetPrototypeOf } from './intrinsics';
import { exportedPrototypes } from './libraryModules';
import { P_QUEUE } from './libraryWaits';
import { asCount, constructorName, readProperty } from './nativeReads';
import { type Operation, shapeOf } from './operationModel';

interface QueueState {
  running: number;
  concurrency: number;
  waiting: number;
  /** Every waiting job has the same priority: the queue serves them in the order they were added. */
  firstInFirstOut: boolean;
}

const MAX_CHAIN = 16;
/** Jobs whose priorities are compared; a longer queue gets no places. */
const MAX_JOBS_READ = 10_000;

/** A count, or no limit at all (a queue's concurrency may be `Infinity`). */
const count = (value: unknown): number | undefined =>
  asCount(value) ?? (value === Number.POSITIVE_INFINITY ? value : undefined);

/**
 * Whether the object is an instance of p-queue's class or of one extending it (by the name the class has
 * in every version). A class's prototype (which has `constructor` of its own) is on the list too.
 */
function isQueue(object: object): boolean {
  if (isProxy(object) || ReflectGetOwnPropertyDescriptor(object, 'constructor') !== undefined) return false;
  let current = ReflectGetPrototypeOf(object) as object | null;
  for (let depth = 0; depth < MAX_CHAIN && current !== null && !isProxy(current); depth++) {
    if (constructorName(current) === 'PQueue') return true;
    current = ReflectGetPrototypeOf(current) as object | null;
  }
  return false;
}

/** A queue's state from its fields, private (7–9) or plain (6); undefined when not shaped so. */
function stateOf(queue: object, fields: Map<string, unknown>): QueueState | undefined {
  const priorityQueue = fields.get('#queue') ?? readProperty(queue, '_queue');
  if (typeof priorityQueue !== 'object' || priorityQueue === null) return undefined;
  const running = count(fields.get('#pending') ?? readProperty(queue, '_pendingCount'));
  const concurrency = count(fields.get('#concurrency') ?? readProperty(queue, '_concurrency'));
  if (running === undefined || concurrency === undefined) return undefined;
  const inner = fields.has('#queue') ? privateFieldsOf([priorityQueue])[0] : undefined;
  const jobs = inner?.get('#queue') ?? readProperty(priorityQueue, '_queue');
  const length = count(readProperty(jobs, 'length'));
  const head = inner?.has('#head') ? count(inner.get('#head')) : 0;
  if (length === undefined || head === undefined) return undefined;
  const priorities: unknown[] = [];
  for (let index = head; index < length && index < MAX_JOBS_READ; index++)
    priorities.push(readProperty(readProperty(jobs, index), 'priority'));
  const firstInFirstOut =
    length <= MAX_JOBS_READ && priorities.every((priority) => priority === priorities[0]);
  return { running, concurrency, waiting: Math.max(0, length - head), firstInFirstOut };
}

/** The one live queue with work, if exactly one has. */
function busyQueue(): QueueState | undefined {
  const prototypes = exportedPrototypes('eventemitter3', 'index.js');
  if (prototypes.length === 0) return undefined;
  const queues: object[] = [];
  for (const found of queryInstances(prototypes))
    for (const object of found) if (isQueue(object)) queues.push(object);
  if (queues.length === 0) return undefined;
  const fields = privateFieldsOf(queues);
  let busy: QueueState | undefined;
  for (let index = 0; index < queues.length; index++) {
    const state = stateOf(queues[index], fields[index]);
    if (state === undefined) return undefined;
    if (state.running === 0 && state.waiting === 0) continue;
    if (busy !== undefined) return undefined;
    busy = state;
  }
  return busy;
}

/** A job p-queue started after its `add()` returned: the program's frames, started by p-queue's code. */
function startedByQueue(item: Operation): boolean {
  return (
    item.awaiting.kind !== P_QUEUE &&
    (item.startedBy ?? []).some(
      ({ frame, origin }) => origin === 'library' && /[\\/]node_modules[\\/]p-queue[\\/]/.test(frame.file),
    )
  );
}

/** One operation of a caller waiting in `add()` and the job that runs for it: the job's wait, the caller's start. */
function joined(caller: Operation, job: Operation): Operation {
  const frames = [...job.frames, ...(job.startedBy ?? []), ...caller.frames];
  const shape = shapeOf(frames);
  const exact = job.exact && caller.exact;
  return {
    ...job,
    frames,
    key: exact ? shape.key : `?${shape.key}`,
    label: shape.label,
    startedAt: caller.startedAt,
    exact,
    internal: shape.internal,
    startedBy: caller.startedBy,
  };
}

/**
 * Pairs the earliest callers with the jobs started later, in order, where the counts and the jobs'
 * start times leave one way to do it; returns the callers still queued, or undefined where no pairing
 * is claimed.
 */
function claimLaterJobs(
  operations: Operation[],
  callers: readonly Operation[],
  state: QueueState,
): Operation[] | undefined {
  const runningLater = callers.length - state.waiting;
  if (!state.firstInFirstOut || runningLater <= 0 || runningLater > state.running) return undefined;
  const jobs = operations.filter(startedByQueue);
  if (jobs.length !== runningLater) return undefined;
  jobs.sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
  for (let index = 1; index < jobs.length; index++)
    if (jobs[index].startedAt === undefined || jobs[index].startedAt === jobs[index - 1].startedAt)
      return undefined;
  const inOrder = [...callers].sort((a, b) => a.order - b.order);
  for (let index = 0; index < jobs.length; index++) {
    const caller = inOrder[index];
    operations[operations.indexOf(caller)] = joined(caller, jobs[index]);
    operations.splice(operations.indexOf(jobs[index]), 1);
  }
  return inOrder.slice(jobs.length);
}

/**
 * Gives the operations waiting in p-queue's `add()` (whose jobs are not seen running) the state of
 * their queue, where it is known to be theirs, and joins those whose job the queue started later to
 * that job (above). Callers are all queued when there are as many of them as jobs waiting in the queue
 * (after that join); otherwise the text says only what the queue holds. Queued waits get their place in
 * line where the queue serves its jobs in the order they were added (equal priorities). Changes
 * `operations` in place.
 */
export function describeQueueWaits(operations: Operation[]): void {
  const callers = operations.filter((item) => item.awaiting.kind === P_QUEUE);
  if (callers.length === 0) return;
  let state: QueueState | undefined;
  try {
    state = busyQueue();
  } catch {
    // The inspector could not be used: the counts from the stacks stand.
    return;
  }
  if (state === undefined) return;
  const waits = claimLaterJobs(operations, callers, state) ?? callers;
  const { running, concurrency, waiting } = state;
  const limit = concurrency === Number.POSITIVE_INFINITY ? '' : ` of ${concurrency}`;
  const held = `${running}${limit} running, ${waiting} waiting`;
  const allQueued = waits.length === waiting;
  const text = allQueued ? `${P_QUEUE} — queued, ${held}` : `${P_QUEUE} — ${held}`;
  for (const item of waits) item.awaiting = { text, kind: item.awaiting.kind };
  if (!allQueued || !state.firstInFirstOut) return;
  // The waits' promises were made in `add()`, in the order of the calls, which is the queue's order.
  const inLine = [...waits].sort((a, b) => a.order - b.order);
  for (let index = 0; index < inLine.length; index++)
    inLine[index].details = { ...inLine[index].details, placeInLine: `${index + 1} of ${waiting}` };
}

// What a generic-pool pool says about a wait in `pool.acquire()`: `pool.acquire() — 2 of 2 in use, 2
// waiting`, and the wait's place in line. generic-pool 3 keeps its state as plain data on the pool:
// `_config.max`, `_resourceLoans` (a Map of the borrowed resources), and `_waitingClientsQueue`, a
// priority queue whose `_slots` are queues of a `_list` linked list (`head`, nodes' `next` and `data`)
// of ResourceRequests, each holding the promise `acquire()` returned as `_promise`. The promise an
// operation waits on is matched by identity, so the state is that of the pool it waits in. Pools are
// found as the live instances of the `Pool` class of every loaded copy of generic-pool's `lib/Pool.js`
// (one heap walk, only when an operation waits in `acquire()`); nothing is called but native getters
// (a Map's `size`), so a pool of the program's subclass that overrides a field is described as far as
// its data says, and one whose data is not shaped so is not described at all.

import type { CreationRecord } from './creationRecord';
import { queryInstances } from './heapQuery';
import { SafeMap } from './intrinsics';
import { exportedPrototypes } from './libraryModules';
import { POOL_ACQUIRE } from './libraryWaits';
import { asCount, readProperty } from './nativeReads';
import type { Operation } from './operationModel';

/** Walks of the waiting list stop here: a list is never longer, and a corrupt one never ends. */
const MAX_WAITING = 100_000;

interface PoolState {
  max: number;
  inUse: number;
  waiting: number;
}

interface PlaceInPool {
  pool: PoolState;
  /** 1 for the first in line. */
  place: number;
}

/** The requests waiting in one pool, in the order it serves them (priority slots first to last). */
function waitingPromises(pool: object): object[] | undefined {
  const slots = readProperty(readProperty(pool, '_waitingClientsQueue'), '_slots');
  const slotCount = asCount(readProperty(slots, 'length'));
  if (slotCount === undefined) return undefined;
  const promises: object[] = [];
  for (let slot = 0; slot < slotCount; slot++) {
    const list = readProperty(readProperty(slots, slot), '_list');
    if (list === undefined) return undefined;
    let node = readProperty(list, 'head');
    while (node !== null && node !== undefined && promises.length < MAX_WAITING) {
      const promise = readProperty(readProperty(node, 'data'), '_promise');
      if (typeof promise === 'object' && promise !== null) promises.push(promise);
      node = readProperty(node, 'next');
    }
  }
  return promises;
}

/** Every waiting acquire's promise in every live pool, with the pool's state and its place in line. */
function placesInPools(): Map<object, PlaceInPool> {
  const places: Map<object, PlaceInPool> = new SafeMap();
  const prototypes = exportedPrototypes('generic-pool', 'lib/Pool.js');
  if (prototypes.length === 0) return places;
  for (const pools of queryInstances(prototypes)) {
    for (const pool of pools) {
      const max = asCount(readProperty(readProperty(pool, '_config'), 'max'));
      const inUse = asCount(readProperty(readProperty(pool, '_resourceLoans'), 'size'));
      const waiting = waitingPromises(pool);
      if (max === undefined || inUse === undefined || waiting === undefined) continue;
      const state: PoolState = { max, inUse, waiting: waiting.length };
      for (let index = 0; index < waiting.length; index++)
        places.set(waiting[index], { pool: state, place: index + 1 });
    }
  }
  return places;
}

/**
 * Gives each operation waiting in `pool.acquire()` its pool's state. `waits`: those operations with the
 * record of the promise they wait on; `promiseOf`: that promise, held for the length of the snapshot.
 * Leaves the stack-counted text (`pool.acquire() — 2 waiting`) where no pool says more.
 */
export function describePoolWaits(
  waits: ReadonlyMap<Operation, CreationRecord>,
  promiseOf: (record: CreationRecord) => object | undefined,
): void {
  let places: Map<object, PlaceInPool>;
  try {
    places = placesInPools();
  } catch {
    // The inspector could not be used: the counts from the stacks stand.
    return;
  }
  if (places.size === 0) return;
  for (const [item, record] of waits) {
    const promise = promiseOf(record);
    const found = promise === undefined ? undefined : places.get(promise);
    if (found === undefined) continue;
    const { max, inUse, waiting } = found.pool;
    const text = `${POOL_ACQUIRE} — ${inUse} of ${max} in use, ${waiting} waiting`;
    item.awaiting = { text, kind: item.awaiting.kind };
    item.details = { ...item.details, placeInLine: `${found.place} of ${waiting}` };
  }
}

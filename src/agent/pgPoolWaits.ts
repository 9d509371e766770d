// What a node-postgres pool says about the waits in `pool.query()` and `pool.connect()`: `pg
// pool.query() — waiting for a client (pool of 2: 2 busy, 3 waiting)`, with the wait's place in line, or
// `… — running on a client, no result yet (…)`. pg-pool 3 keeps its state as plain data: `options.max`,
// `_clients` (every client it made), `_idle` (those free) and `_pendingQueue` (the requests waiting for a
// client, in the order it serves them). Its queue holds callbacks, not the promises the program awaits,
// and nothing links one to the other (a promise's resolving functions expose no promise), so the state
// is given only when one live pool has work: every wait in pg-pool is then that pool's. The pool serves
// its queue first in, first out, and a later request never gets a client before an earlier one waiting:
// the waits still queued are the latest made, so the last `waiting` of them (by when they were made)
// wait in line, in that order, and the others run. Pools are sorted out of the snapshot's one walk of
// live objects (heapQuery.ts), only when an operation waits in pg-pool; nothing is called.

import type { CreationRecord } from './creationRecord';
import { queryInstances } from './heapQuery';
import { exportedPrototypes } from './libraryModules';
import { PG_POOL_CONNECT } from './libraryWaits';
import { asCount, readProperty } from './nativeReads';
import type { Operation } from './operationModel';

interface PoolState {
  max: number;
  busy: number;
  waiting: number;
}

/** The state of each live pool that has work (a busy client or a request waiting). */
function busyPools(): PoolState[] {
  const states: PoolState[] = [];
  for (const pools of queryInstances(exportedPrototypes('pg-pool', 'index.js'))) {
    for (const pool of pools) {
      const max = asCount(readProperty(readProperty(pool, 'options'), 'max'));
      const clients = asCount(readProperty(readProperty(pool, '_clients'), 'length'));
      const idle = asCount(readProperty(readProperty(pool, '_idle'), 'length'));
      const waiting = asCount(readProperty(readProperty(pool, '_pendingQueue'), 'length'));
      if (max === undefined || clients === undefined || idle === undefined || waiting === undefined) continue;
      const busy = clients - idle;
      if (busy > 0 || waiting > 0) states.push({ max, busy, waiting });
    }
  }
  return states;
}

/**
 * Gives each operation waiting in pg-pool (`pool.query()`, `pool.connect()`) its pool's state and, where
 * it waits for a client, its place in line. `waits`: those operations with the record of the promise
 * they wait on. Leaves the library's name alone where no single pool is busy.
 */
export function describePgPoolWaits(waits: ReadonlyMap<Operation, CreationRecord>): void {
  let pools: PoolState[];
  try {
    pools = busyPools();
  } catch {
    return;
  }
  if (pools.length !== 1) return;
  const [{ max, busy, waiting }] = pools;
  const state = `pool of ${max}: ${busy} busy, ${waiting} waiting`;
  const inOrder = [...waits].sort(([, a], [, b]) => a.number - b.number);
  // Every request in the queue is one of these waits only if there are that many (a request made with
  // a callback is in the queue too, and is no operation of the program's).
  const placed = inOrder.length >= waiting;
  const firstQueued = inOrder.length - waiting;
  for (let index = 0; index < inOrder.length; index++) {
    const [item] = inOrder[index];
    const call = item.awaiting.kind;
    const kind = `${call} — ${state}`;
    if (!placed) item.awaiting = { text: kind, kind };
    else if (index >= firstQueued) {
      item.awaiting = { text: `${call} — waiting for a client (${state})`, kind };
      item.details = { ...item.details, placeInLine: `${index - firstQueued + 1} of ${waiting}` };
    } else {
      // A `connect()` still pending that is not in line has its new client connecting.
      const running =
        call === PG_POOL_CONNECT ? 'connecting a new client' : 'running on a client, no result yet';
      item.awaiting = { text: `${call} — ${running} (${state})`, kind };
    }
  }
}

// Snapshots read a library's objects (a generic-pool pool, for waits in `pool.acquire()`) as data and
// never run the program's code: here the program's subclass of generic-pool's Pool keeps its queue of
// waiting requests and its loans behind accessors that print when they run, and its pool waits in
// `acquire()` when the snapshot is taken. The other pool is plain, so the snapshot does read one.

const { Pool, createPool } = require('generic-pool');
const DefaultEvictor = require('generic-pool/lib/DefaultEvictor');
const Deque = require('generic-pool/lib/Deque');
const PriorityQueue = require('generic-pool/lib/PriorityQueue');

const hidden = new WeakMap();
class WatchedPool extends Pool {
  get _waitingClientsQueue() {
    if (hidden.get(this)?.settled) console.log('the program’s _waitingClientsQueue getter ran');
    return hidden.get(this)?._waitingClientsQueue;
  }
  set _waitingClientsQueue(value) {
    hidden.set(this, { ...hidden.get(this), _waitingClientsQueue: value });
  }
  get _resourceLoans() {
    if (hidden.get(this)?.settled) console.log('the program’s _resourceLoans getter ran');
    return hidden.get(this)?._resourceLoans;
  }
  set _resourceLoans(value) {
    hidden.set(this, { ...hidden.get(this), _resourceLoans: value });
  }
}

const factory = { create: async () => ({}), destroy: async () => {} };
const watched = new WatchedPool(DefaultEvictor, Deque, PriorityQueue, factory, { max: 1 });
const plain = createPool(factory, { max: 1 });
const waits = [watched.acquire(), watched.acquire(), plain.acquire(), plain.acquire()];

setTimeout(() => {
  hidden.get(watched).settled = true;
  globalThis.__asyncToolkit?.snapshotJson();
  hidden.get(watched).settled = false;
  console.log(`waiting: ${watched.pending} and ${plain.pending}, ${waits.length} asked`);
  process.exit(0);
}, 50);

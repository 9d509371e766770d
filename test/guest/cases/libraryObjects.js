// Snapshots read a library's objects (a generic-pool pool for waits in `pool.acquire()`, a p-queue for
// waits in `queue.add()`) as data and never run the program's code: here the program's subclass of
// generic-pool's Pool keeps its queue of waiting requests and its loans behind accessors that print when
// they run, and its pool waits in `acquire()` when the snapshot is taken (the other pool is plain, so
// the snapshot does read one); the program's subclass of PQueue has getters that print, and its jobs
// wait in `add()`.

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

let snapshotting = false;
import('p-queue').then(({ default: PQueue }) => {
  class LoudQueue extends PQueue {
    get size() {
      if (snapshotting) console.log('the program’s size getter ran');
      return super.size;
    }
    get pending() {
      if (snapshotting) console.log('the program’s pending getter ran');
      return super.pending;
    }
  }
  const queue = new LoudQueue({ concurrency: 1 });
  for (let job = 0; job < 3; job++) queue.add(() => new Promise(() => {}));

  setTimeout(() => {
    hidden.get(watched).settled = true;
    snapshotting = true;
    globalThis.__asyncToolkit?.snapshotJson();
    snapshotting = false;
    hidden.get(watched).settled = false;
    console.log(`waiting: ${watched.pending} and ${plain.pending}, ${waits.length} asked`);
    console.log(`queue: ${queue.pending} running, ${queue.size} waiting`);
    process.exit(0);
  }, 50);
});

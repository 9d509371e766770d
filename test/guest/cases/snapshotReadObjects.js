// Memory: what a snapshot read to describe library waits is freed with the program's own objects. A
// generic-pool pool with requests waiting in `acquire()` and an emitter awaited with `events.once` make
// the snapshot walk the heap for library objects (every live object, once per snapshot); then the
// program drops the pool, the emitter and its waits, collects garbage (`--expose-gc`) and says, through
// WeakRefs, whether they are gone. A walk's objects kept past the snapshot would keep them alive.

const { once, EventEmitter } = require('node:events');
const { createPool } = require('generic-pool');

async function collect() {
  for (let i = 0; i < 6; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    globalThis.gc();
  }
}

/** Starts the waits; the program holds the pool and the emitter on a global until it drops them. */
function startWaits(refs) {
  const pool = createPool({ create: async () => ({}), destroy: async () => {} }, { max: 1 });
  const emitter = new EventEmitter();
  refs.push(new WeakRef(pool), new WeakRef(emitter));
  globalThis.held = { pool, emitter };
  pool.acquire();
  pool.acquire();
  pool.acquire();
  once(emitter, 'ready');
}

async function main() {
  const refs = [];
  startWaits(refs);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const snapshot = globalThis.__asyncToolkit?.snapshot();
  // In the modes that show operations (all but `off`), the pool's wait was described from its objects.
  const operations = snapshot?.groups?.some((group) => group.awaiting !== undefined);
  if (operations && !JSON.stringify(snapshot.groups).includes('pool.acquire() —'))
    console.log('the snapshot did not describe the pool wait');
  globalThis.held = undefined;
  await collect();
  const alive = refs.filter((ref) => ref.deref() !== undefined).length;
  console.log(`pool and emitter alive after GC: ${alive} of ${refs.length}`);
}

main();

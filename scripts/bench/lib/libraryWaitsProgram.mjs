// The library-waits benchmark's program (scripts/bench/agent-library-waits.mjs): waits in a generic-pool
// pool, a p-queue and `events.once`, on a heap of N small objects (the first argument, as a live
// service's caches would hold), then R snapshots in the default grouping (the second argument). Prints
// their times and the groups' texts as JSON, then exits.
import { EventEmitter, once } from 'node:events';
import genericPool from 'generic-pool';
import PQueue from 'p-queue';

const [objects = 300_000, snapshots = 3] = process.argv.slice(2).map(Number);
globalThis.cache = Array.from({ length: objects }, (_, index) => ({ index, key: `item ${index}` }));
const pool = genericPool.createPool({ create: async () => ({}), destroy: async () => {} }, { max: 1 });
const queue = new PQueue({ concurrency: 1 });
const emitter = new EventEmitter();
globalThis.services = { pool, queue, emitter };

async function useConnection() {
  return pool.acquire();
}
async function runJob() {
  await queue.add(() => new Promise(() => {}));
}
async function waitUntilReady() {
  await once(emitter, 'ready');
}
for (let index = 0; index < 3; index++) {
  useConnection();
  runJob();
  waitUntilReady();
}

setTimeout(() => {
  const times = [];
  let groups = [];
  for (let round = 0; round < snapshots; round++) {
    const started = performance.now();
    const snapshot = JSON.parse(globalThis.__asyncToolkit.snapshotJson());
    times.push(performance.now() - started);
    groups = (snapshot.groups ?? []).map((group) => group.awaiting);
  }
  process.stdout.write(`${JSON.stringify({ times, groups })}\n`);
  process.exit(0);
}, 50);

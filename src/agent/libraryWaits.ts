// What a wait inside a library or Node is called, by the function the program called into: a small
// table for the most used libraries (the package and function on the stack, nothing read from their
// objects), and Node's modules by their public names. Waits marked `queued` are counted at snapshot
// time: how many operations wait at the same call, and how many of the calls made there already run
// (operations.ts, from nestedWaits.ts).

import { SafeMap } from './intrinsics';

/** A library's wait: its words, and whether operations waiting there are a queue worth counting. */
export interface LibraryWait {
  text: string;
  queued: boolean;
}

/** generic-pool's `acquire`, whose pool says more at snapshot time (poolWaits.ts). */
export const POOL_ACQUIRE = 'pool.acquire()';
/** p-queue's `add`, whose queue says more at snapshot time (queueWaits.ts). */
export const P_QUEUE = 'p-queue';
/** `stream/promises`' `pipeline`, whose streams say what stalls it at snapshot time (pipelineWaits.ts). */
export const STREAM_PIPELINE = 'stream/promises pipeline()';
/** Node's `events.once`, whose emitter says more at snapshot time (onceWaits.ts). */
export const EVENTS_ONCE = 'events.once()';

/** node-postgres's pool, whose state says more at snapshot time (pgPoolWaits.ts). */
export const PG_POOL_QUERY = 'pg pool.query()';
export const PG_POOL_CONNECT = 'pg pool.connect()';

/** An ioredis command, whose client says which and where it waits at snapshot time (redisWaits.ts). */
export const REDIS_COMMAND = 'ioredis command';

/** By `package function`, as the stack names the outermost frame of the library the program called. */
const LIBRARY_WAITS: Map<string, LibraryWait> = new SafeMap([
  ['p-queue add', { text: P_QUEUE, queued: true }],
  ['p-queue addAll', { text: P_QUEUE, queued: true }],
  ['generic-pool acquire', { text: POOL_ACQUIRE, queued: true }],
  ['generic-pool Pool.acquire', { text: POOL_ACQUIRE, queued: true }],
  ['p-limit generator', { text: 'p-limit', queued: true }],
  // Queued or running cannot be told from the stack here: the pool says (pgPoolWaits.ts).
  ['pg-pool query', { text: PG_POOL_QUERY, queued: false }],
  ['pg-pool connect', { text: PG_POOL_CONNECT, queued: false }],
  // axios binds its methods through a helper named `wrap`: `axios.get()` calls into `wrap`.
  ['axios wrap', { text: 'axios request', queued: false }],
  ['undici fetch', { text: 'fetch()', queued: false }],
  ['undici request', { text: 'undici.request()', queued: false }],
]);

export function libraryWait(packageName: string, functionName: string): LibraryWait | undefined {
  return LIBRARY_WAITS.get(`${packageName} ${functionName}`);
}

/** Node's functions whose module path is not what a program calls them by. */
const NODE_WAITS: Map<string, string> = new SafeMap([
  // The global `fetch` (Node's bundled undici), by the file that puts it on the global object.
  ['bootstrap/web/exposed-window-or-worker fetch', 'fetch()'],
  // Node 18 defines it while preparing the main script.
  ['process/pre_execution fetch', 'fetch()'],
  ['deps/undici/undici fetch', 'fetch()'],
  // `util.promisify(exec)` / `(execFile)`: Node 18-22 give the promisified function no name (24+ name
  // the child process itself, from its resource).
  ['child_process (anonymous)', 'child process (promisified exec or execFile)'],
  // A fetch's response body being read (its URL is not known there: fetchRequests.ts).
  ...['text', 'json', 'arrayBuffer', 'blob', 'bytes', 'formData'].map((name): [string, string] => [
    `deps/undici/undici ${name}`,
    `fetch response.${name}() — reading the body`,
  ]),
  ['stream/promises pipeline', STREAM_PIPELINE],
  // `for await` over `events.on()`, which readline's async iterator is built on.
  ['events next', 'events.on() — next event (for await; readline lines too)'],
]);

export function nodeWait(module: string, functionName: string): string | undefined {
  return NODE_WAITS.get(`${module} ${functionName}`);
}

/**
 * `p-queue — queued, 2 running, 2 waiting`, `pool.acquire() — 2 waiting`: the counts a snapshot found
 * at one call (running: those of its calls whose job was seen to start further in).
 */
export function queuedText(text: string, waiting: number, running: number): string {
  return running > 0
    ? `${text} — queued, ${running} running, ${waiting} waiting`
    : `${text} — ${waiting} waiting`;
}

// What an ioredis client says about a command the program awaits: `redis BLPOP jobs — no reply yet (a
// blocking command: …), sent to 127.0.0.1:6379`, `… — waiting behind BLPOP jobs on its connection
// (replies come in order), sent to 127.0.0.1:6379`, `redis INCR visits — not sent: the client is
// reconnecting to 127.0.0.1:6379, 1 queued`.
// ioredis 4–5 make each command a `Command` (built/Command.js) holding the promise the program awaits
// (`promise`, made in `initPromise`), its `name` and `args`; a client (`Redis`, built/Redis.js) keeps the
// commands written to its connection in `commandQueue` (replies come in the order commands were sent)
// and those it could not send yet in `offlineQueue`, both Denque ring buffers (`_list`, `_head`,
// `_tail`, `_capacityMask`) of `{ command }`, with its `status` and `options.host`/`port` as plain data.
// The promise a wait is on is matched by identity, so each wait reads the client it was sent on
// (`redisWaitReader`, for operations and for the elements of a `Promise.all` alike). Clients are sorted
// out of the snapshot's one walk of live objects (heapQuery.ts), only when an operation waits on an
// ioredis command; nothing is called but native getters.
//
// Stacks cannot say which command it is: ioredis makes every command method from one function, and V8
// names them all after the first (`EventEmitter.client`). The command's first argument (its key, for
// most commands) is shown; never for commands that carry credentials.

import type { CreationRecord } from './creationRecord';
import { queryInstances } from './heapQuery';
import { SafeMap, SafeSet } from './intrinsics';
import { exportedPrototypes } from './libraryModules';
import { asCount, readProperty } from './nativeReads';
import type { Awaiting } from './operationAwaiting';

/** Walks of a queue stop here: a client's queue is never longer, and a corrupt one never ends. */
const MAX_QUEUED = 100_000;
const SHOWN_ARGUMENT = 40;
const CREDENTIALS = new SafeSet(['AUTH', 'HELLO', 'MIGRATE', 'ACL', 'CONFIG']);

interface Placed {
  client: object;
  sent: boolean;
  /** 0 for the first in its queue. */
  index: number;
  queue: object[];
}

/** The commands of a Denque of `{ command }`, front to back; undefined if it is not shaped so. */
function queuedCommands(queue: unknown): object[] | undefined {
  const list = readProperty(queue, '_list');
  const head = asCount(readProperty(queue, '_head'));
  const tail = asCount(readProperty(queue, '_tail'));
  const mask = asCount(readProperty(queue, '_capacityMask'));
  if (head === undefined || tail === undefined || mask === undefined) return undefined;
  const commands: object[] = [];
  for (let at = head; at !== tail && commands.length < MAX_QUEUED; at = (at + 1) & mask) {
    const command = readProperty(readProperty(list, at), 'command');
    if (typeof command === 'object' && command !== null) commands.push(command);
  }
  return commands;
}

/** `BLPOP jobs`: the command's name and, but for credentials, its first argument. */
export function commandText(name: unknown, args: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return undefined;
  const upper = name.toUpperCase();
  const first = readProperty(args, 0);
  if (CREDENTIALS.has(upper) || (typeof first !== 'string' && typeof first !== 'number')) return upper;
  const shown = String(first);
  return `${upper} ${shown.length > SHOWN_ARGUMENT ? `${shown.slice(0, SHOWN_ARGUMENT - 1)}…` : shown}`;
}

function describedCommand(command: object): string | undefined {
  return commandText(readProperty(command, 'name'), readProperty(command, 'args'));
}

/** `127.0.0.1:6379` from the client's options; a socket path as it is. */
function serverOf(client: object): string | undefined {
  const options = readProperty(client, 'options');
  const path = readProperty(options, 'path');
  if (typeof path === 'string' && path) return path;
  const host = readProperty(options, 'host');
  const port = readProperty(options, 'port');
  return typeof host === 'string' && (typeof port === 'number' || typeof port === 'string')
    ? `${host}:${port}`
    : undefined;
}

/** Every command queued in a live client, by the promise the program awaits, with where it waits. */
function placesOfCommands(): Map<object, Placed> {
  const places: Map<object, Placed> = new SafeMap();
  const prototypes = exportedPrototypes('ioredis', 'built/Redis.js', 'default');
  if (prototypes.length === 0) return places;
  for (const clients of queryInstances(prototypes)) {
    for (const client of clients) {
      for (const [field, sent] of [
        ['commandQueue', true],
        ['offlineQueue', false],
      ] as const) {
        const queue = queuedCommands(readProperty(client, field));
        if (queue === undefined) continue;
        for (let index = 0; index < queue.length; index++) {
          const promise = readProperty(queue[index], 'promise');
          if (typeof promise === 'object' && promise !== null)
            places.set(promise, { client, sent, index, queue });
        }
      }
    }
  }
  return places;
}

/** Commands a server answers only once there is something to give: why a reply can take forever. */
const BLOCKING: Map<string, string> = new SafeMap([
  ...['BLPOP', 'BRPOP', 'BRPOPLPUSH', 'BLMOVE', 'BLMPOP'].map((name): [string, string] => [
    name,
    'a blocking command: it waits until the list has an item',
  ]),
  ...['BZPOPMIN', 'BZPOPMAX', 'BZMPOP'].map((name): [string, string] => [
    name,
    'a blocking command: it waits until the sorted set has a member',
  ]),
]);

/** The text of a wait and the general form its group shows (`redis BLPOP jobs — sent to …`). */
function placedText(command: string, placed: Placed): Awaiting {
  const server = serverOf(placed.client);
  const to = server === undefined ? '' : ` to ${server}`;
  if (!placed.sent) {
    const status = readProperty(placed.client, 'status');
    const state = typeof status === 'string' ? `the client is ${status}` : 'the client is not connected';
    const kind = `redis ${command} — not sent`;
    return { text: `${kind}: ${state}${to}, ${placed.queue.length} queued`, kind };
  }
  // Why first, where after: a row in a narrow side bar shows the start.
  const kind = `redis ${command} — sent${to}`;
  if (placed.index === 0) {
    const blocking = BLOCKING.get(command.split(' ')[0]);
    const why = blocking === undefined ? '' : ` (${blocking})`;
    return { text: `redis ${command} — no reply yet${why}, sent${to}`, kind };
  }
  // Replies come in the order commands were sent: one without a reply holds back all after it.
  const first = describedCommand(placed.queue[0]) ?? 'a command';
  const behind = placed.index === 1 ? first : `${placed.index} commands, the first ${first},`;
  const text = `redis ${command} — waiting behind ${behind} on its connection (replies come in order), sent${to}`;
  return { text, kind };
}

/** What one command wait reads: its text, and its place among the commands sent before it. */
export interface RedisWait {
  awaiting: Awaiting;
  placeInLine: string | undefined;
}

/**
 * Reads the command each wait on an ioredis command is (operations and elements of a `Promise.all`
 * alike). `promiseOf`: the promise of a record, held for the length of the snapshot. The clients are
 * read once, at the first wait asked about; undefined where no client holds the promise (then the
 * wait keeps `ioredis command`).
 */
export function redisWaitReader(
  promiseOf: (record: CreationRecord) => object | undefined,
): (record: CreationRecord) => RedisWait | undefined {
  let places: Map<object, Placed> | undefined;
  return (record) => {
    if (places === undefined) {
      try {
        places = placesOfCommands();
      } catch {
        places = new SafeMap();
      }
    }
    const promise = promiseOf(record);
    const placed = promise === undefined ? undefined : places.get(promise);
    if (placed === undefined) return undefined;
    const command = describedCommand(placed.queue[placed.index]);
    if (command === undefined) return undefined;
    const placeInLine =
      placed.sent && placed.index > 0 ? `${placed.index + 1} of ${placed.queue.length}` : undefined;
    return { awaiting: placedText(command, placed), placeInLine };
  };
}

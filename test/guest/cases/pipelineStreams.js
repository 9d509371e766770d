// Snapshots read a stalled `stream/promises` pipeline's streams (for the stage that stalls it) as data
// and never run the program's code: here the stalled Writable's state is plain (so the snapshot reads
// on) but its class has a `constructor` getter, every field of the Transform's readable state before it
// is the program's accessor, and the Transform's `_writableState` and the source's `_events` are the
// program's accessors on the streams themselves, and another stream keeps its error listeners in the
// program's proxy; each prints when it runs. The pipeline waits in
// `pipeline()` when the snapshot is taken.

const { Readable, Transform, Writable } = require('node:stream');
const { pipeline } = require('node:stream/promises');

let snapshotting = false;
const ran = (what) => {
  if (snapshotting) console.log(`the program’s ${what} getter ran`);
};

/** Turns each own data property of `object` into the program's accessor (Node's streams still work). */
function watchFields(object, what) {
  for (const key of Reflect.ownKeys(object)) {
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    if (!('value' in descriptor)) continue;
    let value = descriptor.value;
    Object.defineProperty(object, key, {
      get() {
        ran(`${what}.${String(key)}`);
        return value;
      },
      set(next) {
        value = next;
      },
      configurable: true,
      enumerable: descriptor.enumerable,
    });
  }
}

/** Puts `key` of `object` behind the program's accessor. */
function watchProperty(object, key, what) {
  let value = object[key];
  Object.defineProperty(object, key, {
    get() {
      ran(what);
      return value;
    },
    set(next) {
      value = next;
    },
    configurable: true,
  });
}

class Disk extends Writable {
  _write(_chunk, _encoding, callback) {
    this.writes = (this.writes ?? 0) + 1;
    if (this.writes < 3) callback();
  }
}
Object.defineProperty(Disk.prototype, 'constructor', {
  get() {
    ran('constructor');
    return Disk;
  },
});

const source = Readable.from(Array.from({ length: 50 }, (_, n) => `line ${n}\n`));
const upper = new Transform({
  transform: (chunk, _encoding, callback) => callback(null, String(chunk).toUpperCase()),
});
const disk = new Disk({ highWaterMark: 1 });
watchFields(upper._readableState, '_readableState');
watchProperty(upper, '_writableState', '_writableState');
watchProperty(source, '_events', '_events');

// Another stream of the program's, with two error listeners kept in a proxy: the walk for pipelines'
// listeners must not iterate it (its traps are the program's code).
const spare = new Readable({ read() {} });
spare.on('error', () => {});
spare.on('error', () => {});
spare._events.error = new Proxy(spare._events.error, {
  get(target, key, receiver) {
    ran(`error listeners' ${String(key)} trap`);
    return Reflect.get(target, key, receiver);
  },
});
globalThis.spare = spare;

let settled = false;
pipeline(source, upper, disk).finally(() => {
  settled = true;
});

setTimeout(() => {
  snapshotting = true;
  globalThis.__asyncToolkit?.snapshotJson();
  snapshotting = false;
  console.log(`disk took ${disk.writes} writes, pipeline settled: ${settled}`);
  process.exit(0);
}, 50);

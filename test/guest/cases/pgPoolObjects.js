// Snapshots read a node-postgres pool as data and never run the program's code: here the program's
// subclass of Pool keeps its queue of waiting requests and its idle clients behind accessors that print
// when they run during a snapshot, and lookups wait in the pool when the snapshot is taken (a database
// that accepts connections and never answers: the pool's clients never connect).
const net = require('node:net');
const { Pool } = require('pg');

let snapshotting = false;
const hidden = new WeakMap();
class WatchedPool extends Pool {
  get _pendingQueue() {
    if (snapshotting) console.log('the program’s _pendingQueue getter ran');
    return hidden.get(this)?._pendingQueue;
  }
  set _pendingQueue(value) {
    hidden.set(this, { ...hidden.get(this), _pendingQueue: value });
  }
  get _idle() {
    if (snapshotting) console.log('the program’s _idle getter ran');
    return hidden.get(this)?._idle;
  }
  set _idle(value) {
    hidden.set(this, { ...hidden.get(this), _idle: value });
  }
}

const silent = net.createServer((socket) => socket.on('error', () => {}));
silent.listen(0, '127.0.0.1', () => {
  const options = { host: '127.0.0.1', port: silent.address().port, user: 'shop', max: 1 };
  const watched = new WatchedPool(options);
  const plain = new Pool(options);
  const lookups = [watched.query('SELECT 1'), watched.query('SELECT 2'), plain.query('SELECT 3')];
  for (const lookup of lookups) lookup.catch(() => {});
  setTimeout(() => {
    snapshotting = true;
    globalThis.__asyncToolkit?.snapshotJson();
    snapshotting = false;
    console.log(`waiting: ${watched.waitingCount} and ${plain.waitingCount}, ${lookups.length} asked`);
    process.exit(0);
  }, 150);
});

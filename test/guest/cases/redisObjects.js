// Snapshots read an ioredis client's queues as data and never run the program's code: here the
// program's subclass of Redis keeps `status` and its `offlineQueue` behind accessors that print when
// they run during a snapshot, and a command waits in that queue (its server's port is closed) when the
// snapshot is taken; a plain client's command waits beside it, so the snapshot does read one client.
const net = require('node:net');
const Redis = require('ioredis');

let snapshotting = false;
const hidden = new WeakMap();
class LoudRedis extends Redis {
  get status() {
    if (snapshotting) console.log('the program’s status getter ran');
    return hidden.get(this)?.status;
  }
  set status(value) {
    hidden.set(this, { ...hidden.get(this), status: value });
  }
  get offlineQueue() {
    if (snapshotting) console.log('the program’s offlineQueue getter ran');
    return hidden.get(this)?.offlineQueue;
  }
  set offlineQueue(value) {
    hidden.set(this, { ...hidden.get(this), offlineQueue: value });
  }
}

const probe = net.createServer().listen(0, '127.0.0.1', () => {
  const { port } = probe.address();
  probe.close(() => {
    const options = { host: '127.0.0.1', port, retryStrategy: () => 100, maxRetriesPerRequest: null };
    const loud = new LoudRedis(options);
    const plain = new Redis(options);
    for (const client of [loud, plain]) client.on('error', () => {});
    const waits = [loud.incr('visits'), plain.get('greeting')];
    setTimeout(() => {
      snapshotting = true;
      globalThis.__asyncToolkit?.snapshotJson();
      snapshotting = false;
      console.log(
        `queued: ${loud.offlineQueue.length} and ${plain.offlineQueue.length}, ${waits.length} asked`,
      );
      process.exit(0);
    }, 150);
  });
});

// Snapshots read the emitters that `events.once` waits on as data and never run the program's code:
// here the program's emitters keep `_events`, `_socket`, `constructor`, and a socket's `_handle`,
// `_peername` and `_server` behind accessors that print when they run; a once-wrapper's `listener` is
// such an accessor; one emitter's `_events`, and another's list of listeners, are proxies whose traps
// print. Each is waited on with `events.once` when the snapshot is taken; afterwards every wait ends.
const { EventEmitter, once } = require('node:events');
const net = require('node:net');

let snapshotting = false;
const say = (what) => {
  if (snapshotting) console.log(`the program’s ${what} ran`);
};
const fields = new WeakMap();
function loud(prototype, name) {
  Object.defineProperty(prototype, name, {
    configurable: true,
    get() {
      say(`${name} getter`);
      return fields.get(this)?.[name];
    },
    set(value) {
      fields.set(this, { ...fields.get(this), [name]: value });
    },
  });
}
/** Proxy traps that print, then do what the target would. */
const traps = {};
for (const trap of ['get', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'has']) {
  traps[trap] = (...args) => {
    say(`proxy ${trap} trap`);
    return Reflect[trap](...args);
  };
}

class HiddenEvents extends EventEmitter {}
loud(HiddenEvents.prototype, '_events');
class FakeWebSocket extends EventEmitter {}
loud(FakeWebSocket.prototype, '_socket');
loud(FakeWebSocket.prototype, 'constructor');
class LoudSocket extends net.Socket {}
for (const name of ['_handle', '_peername', '_server']) loud(LoudSocket.prototype, name);

const hidden = new HiddenEvents();
const fake = new FakeWebSocket();
fake._socket = new LoudSocket();
const wrapped = new EventEmitter();
const proxied = new EventEmitter();
const listed = new EventEmitter();
const waits = [
  once(hidden, 'ready'),
  once(fake, 'message'),
  once(wrapped, 'ready'),
  once(proxied, 'ready'),
  once(listed, 'x'),
  once(listed, 'x'),
];
const [wrapper] = wrapped.rawListeners('ready');
const resolver = wrapper.listener;
Object.defineProperty(wrapper, 'listener', {
  configurable: true,
  get() {
    say('listener getter');
    return resolver;
  },
});
proxied._events = new Proxy(proxied._events, traps);
listed._events.x = new Proxy(listed._events.x, traps);

const server = net.createServer((accepted) => accepted.end('data'));
server.listen(0, '127.0.0.1', () => {
  const socket = new LoudSocket();
  waits.push(once(socket, 'data'));
  socket.connect(server.address().port, '127.0.0.1', () => {
    snapshotting = true;
    globalThis.__asyncToolkit?.snapshotJson();
    snapshotting = false;
    hidden.emit('ready', 1);
    fake.emit('message', 2);
    wrapped.emit('ready', 3);
    proxied.emit('ready', 4);
    listed.emit('x', 5);
    Promise.all(waits).then((results) => {
      console.log(`resolved: ${results.map(([value]) => String(value)).join(',')}`);
      fake._socket.destroy();
      server.close();
    });
  });
});

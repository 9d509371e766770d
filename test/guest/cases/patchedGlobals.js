// A program that replaces the built-ins an agent could be tempted to call (timers, clocks, Reflect,
// WeakRef, Map, JSON, the Error stack API) with counting wrappers, deletes `Error.stackTraceLimit`,
// makes promises fast enough for the agent's governor to pause tracking (so the agent arms its own
// timer), takes snapshots, and prints how often each replacement was called and the final shape of
// `Error`. With the agent the counts must be the program's own calls only (issue 13, finding 2: 800 001
// more `Date.now` calls in `all` mode, the agent's timer through the program's `setTimeout`, 39
// accesses to an `Error.stackTraceLimit` accessor, the property re-created after the program deleted it).

const realReflect = Reflect;
const counts = {};
function count(name) {
  counts[name] = (counts[name] ?? 0) + 1;
}
function wrap(owner, key, name = key) {
  const original = owner[key];
  // Defined, not assigned: `performance.now` is read-only on Node 18.
  Object.defineProperty(owner, key, {
    value: function (...args) {
      count(name);
      return new.target
        ? realReflect.construct(original, args, new.target)
        : realReflect.apply(original, this, args);
    },
    writable: true,
    configurable: true,
  });
}

for (const key of [
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'queueMicrotask',
])
  wrap(globalThis, key);
wrap(Date, 'now', 'Date.now');
wrap(performance, 'now', 'performance.now');
wrap(JSON, 'stringify', 'JSON.stringify');
for (const key of ['set', 'get', 'delete', 'has']) wrap(Map.prototype, key, `Map.${key}`);
for (const key of ['set', 'get', 'has']) wrap(WeakMap.prototype, key, `WeakMap.${key}`);
const PatchedReflect = {};
for (const key of Object.getOwnPropertyNames(realReflect)) {
  PatchedReflect[key] = (...args) => {
    count(`Reflect.${key}`);
    return realReflect[key](...args);
  };
}
globalThis.Reflect = PatchedReflect;
const RealWeakRef = WeakRef;
globalThis.WeakRef = class extends RealWeakRef {
  constructor(target) {
    count('WeakRef');
    super(target);
  }
};
const originalCapture = Error.captureStackTrace;
Error.captureStackTrace = (...args) => {
  count('Error.captureStackTrace');
  return originalCapture(...args);
};
let limit = 10;
Object.defineProperty(Error, 'stackTraceLimit', {
  get() {
    count('stackTraceLimit get');
    return limit;
  },
  set(value) {
    count('stackTraceLimit set');
    limit = value;
  },
  configurable: true,
  enumerable: true,
});

async function leaf(i) {
  return i;
}
async function churn(n) {
  for (let i = 0; i < n; i++) await leaf(i);
}
const held = [];
async function waiter(i) {
  await new Promise((resolve) => held.push(resolve));
  return i;
}

async function main() {
  for (let i = 0; i < 5; i++) waiter(i);
  await new Promise((resolve) => setTimeout(resolve, 2));
  // Fast enough for the governor: tracking pauses and the agent's resume timer is armed.
  await churn(100_000);
  globalThis.__asyncToolkit?.snapshotJson();
  delete Error.stackTraceLimit;
  await churn(1_000);
  await new Promise((resolve) => setImmediate(resolve));
  globalThis.__asyncToolkit?.snapshotJson({ groupBy: 'none' });
  for (const resolve of held) resolve();
  const mine = Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1));
  console.log(mine.map(([name, n]) => `${name}: ${n}`).join('\n'));
  console.log(`stackTraceLimit in Error: ${'stackTraceLimit' in Error}`);
  console.log(`Error own: ${Object.getOwnPropertyNames(Error).sort().join(',')}`);
  console.log(`Error.prepareStackTrace: ${typeof Error.prepareStackTrace}`);
}

main();

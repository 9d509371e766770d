// A program that replaces the built-ins a snapshot's own code looks up as it runs — the array iterator,
// `push`, `join`, `sort`, `Map.prototype.set` and its iterator, `String.prototype.slice` and `split` —
// and adds `Object.prototype.toJSON` and an `Object.prototype.get` (which a property descriptor would
// find through its prototype). Each replacement counts its calls while a snapshot is taken; after it,
// every one must still be the program's own, with nothing counted. Then a second program's change made
// permanent: that snapshot is refused with a message, running nothing.

const counted = { calls: 0 };
let snapshotting = false;
const patched = [];

function replace(owner, key) {
  const original = owner[key];
  const replacement = function (...args) {
    if (snapshotting) counted.calls += 1;
    return Reflect.apply(original, this, args);
  };
  Object.defineProperty(owner, key, {
    __proto__: null,
    value: replacement,
    writable: true,
    configurable: true,
  });
  patched.push([owner, key, replacement]);
}

replace(Array.prototype, Symbol.iterator);
replace(Array.prototype, 'push');
replace(Array.prototype, 'join');
replace(Array.prototype, 'sort');
replace(Map.prototype, 'set');
replace(Object.getPrototypeOf(new Map().entries()), 'next');
replace(String.prototype, 'slice');
replace(String.prototype, 'split');
Object.defineProperty(Object.prototype, 'toJSON', {
  get() {
    if (snapshotting) counted.calls += 1;
    return undefined;
  },
  configurable: true,
});
Object.defineProperty(Object.prototype, 'get', {
  get() {
    if (snapshotting) counted.calls += 1;
    return undefined;
  },
  configurable: true,
});

async function waitForever(name) {
  await new Promise(() => {});
  return name;
}
waitForever('a');
waitForever('b');

setTimeout(() => {
  snapshotting = true;
  const json = globalThis.__asyncToolkit?.snapshotJson();
  snapshotting = false;
  const intact = patched.every(([owner, key, replacement]) => owner[key] === replacement);
  console.log(`calls during the snapshot: ${counted.calls}, replacements intact: ${intact}`);
  // Made permanent: a snapshot would have to call it.
  replace(Array.prototype, 'map');
  Object.defineProperty(Array.prototype, 'map', { __proto__: null, configurable: false });
  snapshotting = true;
  const refused = globalThis.__asyncToolkit?.snapshotJson();
  snapshotting = false;
  console.log(`calls during the refused snapshot: ${counted.calls}`);
  void json;
  void refused;
  process.exit(0);
}, 50);

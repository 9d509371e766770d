// Snapshots must not run the program's code. The program holds promises whose inspection would:
// a Promise subclass with a `Symbol.toStringTag` getter, a promise fulfilled with an object whose tag
// is a getter and one fulfilled with a proxy, a rejected promise whose Error stack was never formatted
// while the program has its own `Error.prepareStackTrace`, a promise with an accessor property. Every
// such piece of code prints when it runs. Issue 13, finding 5: `util.inspect` ran the subclass's
// getter (it printed, twice).

class Tagged extends Promise {
  get [Symbol.toStringTag]() {
    console.log('Tagged toStringTag getter ran');
    return 'Tagged';
  }
}
class Loud {
  get [Symbol.toStringTag]() {
    console.log('Loud toStringTag getter ran');
    return 'Loud';
  }
}
const trap = new Proxy(
  {},
  {
    get(_target, key) {
      if (key !== 'then') console.log(`proxy get ${String(key)}`);
    },
    getPrototypeOf() {
      console.log('proxy getPrototypeOf');
      return Object.prototype;
    },
    has(_target, key) {
      console.log(`proxy has ${String(key)}`);
      return false;
    },
    ownKeys() {
      console.log('proxy ownKeys');
      return [];
    },
  },
);
Error.prepareStackTrace = (error, sites) => {
  console.log(`program formatter ran for ${error.message}`);
  return `${error.message} (${sites.length > 0 ? 'with frames' : 'no frames'})`;
};

const held = [];
held.push(new Tagged(() => {}));
held.push(Tagged.resolve(1));
held.push(Promise.resolve(new Loud()));
held.push(Promise.resolve(trap));
const error = new Error('never formatted');
const rejected = Promise.reject(error);
rejected.catch(() => {});
held.push(rejected);
const withAccessor = new Promise(() => {});
Object.defineProperty(withAccessor, 'label', {
  get() {
    console.log('accessor ran');
    return 'x';
  },
  enumerable: true,
});
held.push(withAccessor);

setTimeout(() => {
  globalThis.__asyncToolkit?.snapshotJson();
  globalThis.__asyncToolkit?.snapshotJson({ groupBy: 'none', includeInternals: true });
  console.log(`held ${held.length}`);
  console.log(`the program reads its error: ${error.stack}`);
}, 5);

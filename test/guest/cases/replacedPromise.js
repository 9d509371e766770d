// A program that replaces `globalThis.Promise` with its own class (as old polyfills did) while native
// promises stay pending, and makes promises of both. Issue 13, finding 5: the snapshot then listed none
// of the native promises (checked by the agent's unit tests); here, that nothing the program sees
// changes.

const NativePromise = Promise;
const held = [];
function nativeWait() {
  return new NativePromise((resolve) => held.push(resolve));
}
const natives = [nativeWait(), nativeWait(), nativeWait(), nativeWait()];

class MyPromise {
  constructor(executor) {
    this.callbacks = [];
    executor((value) => {
      this.value = value;
      for (const callback of this.callbacks) callback(value);
    });
  }
  // biome-ignore lint/suspicious/noThenProperty: the program's own promise class, as old polyfills wrote it
  then(callback) {
    if ('value' in this) callback(this.value);
    else this.callbacks.push(callback);
    return this;
  }
}
globalThis.Promise = MyPromise;

async function usesAwait() {
  // `async` functions still make native promises.
  await null;
  return 'async done';
}

new Promise((resolve) => setTimeout(() => resolve('mine'), 2)).then(async (value) => {
  globalThis.__asyncToolkit?.snapshotJson();
  console.log(`${value}, ${await usesAwait()}, ${natives.length} native pending`);
  for (const resolve of held) resolve();
  console.log(`global Promise is mine: ${globalThis.Promise === MyPromise}`);
});

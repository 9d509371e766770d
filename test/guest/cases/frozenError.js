// A program that locks `Error` down after it starts: first `Error.prepareStackTrace` becomes a
// read-only property, then `Error` itself is frozen, with async work (synchronous runs and promise
// jobs, so creation stacks are captured and read) after each step. Issue 13, finding 1: the agent
// restored `Error.prepareStackTrace` in a hook without a try/catch, and the program exited 1 with no
// output. Prints what it computed and the final shape of `Error`.

async function step(value) {
  await null;
  await new Promise((resolve) => setImmediate(resolve));
  return value * 2;
}

async function phase(name) {
  let sum = 0;
  for (let i = 0; i < 20; i++) sum += await step(i);
  const parallel = await Promise.all([step(1), step(2), step(3)]);
  console.log(`${name}: ${sum} ${parallel.join(',')}`);
  // A snapshot while the program holds promises, when the agent is there; it prints nothing.
  globalThis.__asyncToolkit?.snapshotJson();
}

async function main() {
  await phase('open');
  Object.defineProperty(Error, 'prepareStackTrace', {
    value: Error.prepareStackTrace,
    writable: false,
    configurable: false,
  });
  setTimeout(async () => {
    await phase('read-only prepareStackTrace');
    Object.freeze(Error);
    setTimeout(async () => {
      await phase('frozen Error');
      const names = Object.getOwnPropertyNames(Error).sort();
      console.log(`Error: frozen ${Object.isFrozen(Error)}, own ${names.join(',')}`);
      console.log(`stackTraceLimit ${Error.stackTraceLimit}`);
      try {
        null.boom;
      } catch (error) {
        console.log(`stack starts with: ${String(error.stack).split('\n')[0]}`);
      }
    }, 1);
  }, 1);
}

main();

// Fake timers from the real `@sinonjs/fake-timers` (the engine under Jest's and Vitest's): a debounced
// function, the clock stepped with `next()` and `runAll()`, while the program makes promises fast enough
// for the agent's governor to pause tracking and takes snapshots. Issue 13, finding 2: `clock.next()`
// fired the agent's timer and the user's debounce never fired. Prints what fired, in order, and what the
// clock counted.

const FakeTimers = require('@sinonjs/fake-timers');

const clock = FakeTimers.install({
  toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
});
const fired = [];
function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
const save = debounce((value) => fired.push(`saved ${value}`), 100);

async function leaf(i) {
  return i;
}

async function main() {
  save(1);
  save(2);
  setTimeout(() => fired.push('tick 50'), 50);
  // Fast enough for the governor: the agent arms its own (real) timer now.
  for (let i = 0; i < 60_000; i++) await leaf(i);
  globalThis.__asyncToolkit?.snapshotJson();
  console.log(`timers before next(): ${clock.countTimers()}`);
  clock.next();
  console.log(`after next(): ${fired.join(', ')} at ${clock.now}`);
  save(3);
  globalThis.__asyncToolkit?.snapshotJson();
  clock.runAll();
  console.log(`after runAll(): ${fired.join(', ')} at ${clock.now}; timers ${clock.countTimers()}`);
  console.log(`Date.now() ${Date.now()}`);
  clock.uninstall();
}

main();

// Everything a program can see of async ids, through the usual paths: `executionAsyncId()`,
// `triggerAsyncId()` and an AsyncResource's ids inside an async function after awaits, `then`
// callbacks, timers, immediates, nextTick, fs and stream callbacks, and AsyncLocalStorage. Finding 7 asks
// whether anything users see depends on async ids: this prints them all, to be compared with and
// without the agent.

const { AsyncLocalStorage, AsyncResource, executionAsyncId, triggerAsyncId } = require('node:async_hooks');
const fs = require('node:fs');
const { Readable } = require('node:stream');

const seen = [];
function note(where) {
  const resource = new AsyncResource('Probe');
  seen.push(
    `${where}: execution ${executionAsyncId()} trigger ${triggerAsyncId()} resource ${resource.asyncId()}/${resource.triggerAsyncId()}`,
  );
}
const storage = new AsyncLocalStorage();

async function main() {
  note('main start');
  await null;
  note('after await null');
  await new Promise((resolve) => setTimeout(resolve, 1));
  note('after a timer');
  await Promise.resolve().then(() => note('in then'));
  await new Promise((resolve) => setImmediate(() => resolve(note('in setImmediate'))));
  await new Promise((resolve) => process.nextTick(() => resolve(note('in nextTick'))));
  await new Promise((resolve) => fs.stat(__filename, () => resolve(note('in fs.stat callback'))));
  await fs.promises.stat(__filename);
  note('after fs.promises');
  for await (const chunk of Readable.from(['a', 'b'])) note(`stream chunk ${chunk}`);
  await storage.run({ id: 7 }, async () => {
    await null;
    note(`in AsyncLocalStorage ${storage.getStore().id}`);
  });
  console.log(seen.join('\n'));
}
main();

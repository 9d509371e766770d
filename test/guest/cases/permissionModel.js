// Node's permission model (`--permission`, `--experimental-permission` on Node 20): the program may
// read only its own folder (and, in the launch that allows it, the agent). Does async work, takes a
// snapshot where the agent is loaded, and prints what the model allows. Issue 13, finding 4: the
// injected `--require` crashed the program on Node 20 (ERR_ACCESS_DENIED on dist/agent.js).

async function work() {
  let total = 0;
  for (let i = 0; i < 10; i++) total += await new Promise((resolve) => setTimeout(() => resolve(i), 1));
  return total;
}

work().then((total) => {
  const toolkit = globalThis.__asyncToolkit;
  if (toolkit) {
    // Under the model the in-process inspector may be restricted: the snapshot says so, nothing throws.
    JSON.parse(toolkit.snapshotJson());
  }
  console.log(`total ${total}`);
  console.log(`may read this folder: ${process.permission.has('fs.read', __dirname)}`);
  console.log(`may spawn children: ${process.permission.has('child')}`);
});

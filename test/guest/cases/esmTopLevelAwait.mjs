// An ES module with top-level await, a dynamic import and promises pending while the loader still
// evaluates the module. Issue 13, finding 6 (in `off` mode the loader's promises were listed as the
// program's; the snapshot's content is checked by the agent's unit tests): here, that nothing the
// program sees changes.
const held = [];
async function inner() {
  await new Promise((resolve) => held.push(resolve));
  return 'inner';
}
async function outer() {
  return inner();
}
const pending = outer();
const { sep } = await import('node:path');
await new Promise((resolve) => setTimeout(resolve, 2));
globalThis.__asyncToolkit?.snapshotJson();
for (const resolve of held) resolve();
console.log(`${await pending} ${sep}`);

// A program that watches its own pending promises be garbage-collected (a cache of in-flight requests
// held by WeakRef, cleaned up by a FinalizationRegistry): with the agent, the same promises must go, as
// many callbacks must run, and nothing may be kept alive. Needs --expose-gc.
const collected = { registry: 0 };
const registry = new FinalizationRegistry((name) => {
  collected.registry += 1;
  collected.last = name;
});
const refs = [];

async function neverAnswered(id) {
  await new Promise(() => {}); // nobody keeps the resolver
  return id;
}

function startRequests(count) {
  for (let id = 0; id < count; id++) {
    const call = neverAnswered(id);
    const leaf = new Promise((resolve) => {
      if (id < 0) resolve();
    });
    registry.register(call, `call ${id}`);
    registry.register(leaf, `leaf ${id}`);
    refs.push(new WeakRef(call), new WeakRef(leaf));
  }
}

async function main() {
  startRequests(100);
  for (let round = 0; round < 50 && collected.registry < 200; round++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const alive = refs.filter((ref) => ref.deref() !== undefined).length;
  console.log(`collected ${collected.registry} of 200, weak refs alive ${alive}`);
}

main();

// A program that replaces array, map and string methods and the array iterator with wrappers that count
// their calls, then runs async work — awaits, timers, promises it drops for the collector to take — and
// prints the counts: the agent's hooks, its capture of stacks and its note of dropped work (which runs
// in a FinalizationRegistry callback) call none of them, so the counts are the program's own.

const counts = {};
const replacements = [
  [Array.prototype, 'Array', 'push'],
  [Array.prototype, 'Array', 'slice'],
  [Array.prototype, 'Array', 'join'],
  [Array.prototype, 'Array', 'includes'],
  [Array.prototype, 'Array', Symbol.iterator],
  [Map.prototype, 'Map', 'set'],
  [Map.prototype, 'Map', 'get'],
  [Map.prototype, 'Map', 'delete'],
  [String.prototype, 'String', 'startsWith'],
  [String.prototype, 'String', 'endsWith'],
  [String.prototype, 'String', 'slice'],
  [String.prototype, 'String', 'indexOf'],
  [String.prototype, 'String', 'lastIndexOf'],
  [String.prototype, 'String', 'includes'],
  [String.prototype, 'String', 'split'],
  [String.prototype, 'String', 'replace'],
  [RegExp.prototype, 'RegExp', 'exec'],
];
let counting = false;
for (let index = 0; index < replacements.length; index++) {
  const [owner, name, key] = replacements[index];
  const label = `${name}.${String(key)}`;
  const original = owner[key];
  counts[label] = 0;
  owner[key] = function (...args) {
    if (counting) counts[label] += 1;
    return Reflect.apply(original, this, args);
  };
}

async function step(n) {
  await null;
  await new Promise((resolve) => setTimeout(resolve, 1));
  return n;
}

async function dropped() {
  await new Promise(() => {});
}

// From the next turn: Node 18 itself calls `startsWith` once, as the main module finishes loading (its
// ES module loader starts lazily then), and earlier with the agent loaded.
setTimeout(async () => {
  counting = true;
  let total = 0;
  for (let n = 0; n < 100; n++) total += await step(n);
  for (let n = 0; n < 30; n++) dropped();
  await new Promise((resolve) => setTimeout(resolve, 10));
  globalThis.gc();
  await new Promise((resolve) => setTimeout(resolve, 20));
  globalThis.gc();
  await new Promise((resolve) => setTimeout(resolve, 20));
  counting = false;
  const called = Object.keys(counts).filter((label) => counts[label] > 0);
  console.log(`total ${total}; replaced methods called: ${called.length === 0 ? 'none' : called.join(', ')}`);
}, 1);

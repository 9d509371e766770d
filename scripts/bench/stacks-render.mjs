#!/usr/bin/env node
// Async Stacks end to end for 1 000 / 10 000 / 100 000 tasks (goals of issue 16: ≤ 100 ms / ≤ 500 ms
// / ≤ 2 s): merge the snapshot's stacks and fold rare branches (in Node, as the extension host does),
// then the picture's message through a structured clone, layout, drawing and first paint in Chromium
// over the built webview bundle (dist/stacks-webview.js, the real page and its CSP). The snapshot is a
// synthetic busy asyncio server (scripts/bench/lib/stacks-workload.mjs): rare branches fold, as they
// would. The "full" rows draw the whole budget of boxes (folding by share off), the worst first render.
// Median of 5; prints Markdown.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { median } from './lib/median.mjs';
import { openStacksPage } from './lib/stacks-page.mjs';
import { serverSnapshot } from './lib/stacks-workload.mjs';

readCommandLine({ usage: 'node scripts/bench/stacks-render.mjs (after a build; no options)' });

const root = new URL('../..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const { mergeStacks } = require(join(root, 'out/src/stacks/mergeStacks.js'));
const { collapseBranches } = require(join(root, 'out/src/stacks/collapseBranches.js'));
const { pictureNotes } = require(join(root, 'out/src/stacks/pictureWording.js'));
const { launchBrowser } = await import(join(root, 'scripts/test-host/browser.mjs'));

const sizes = [1_000, 10_000, 100_000];
const goals = { 1000: 100, 10000: 500, 100000: 2_000 };
const runs = 5;

const browser = await launchBrowser();
const rows = [];
try {
  const stacksPage = await openStacksPage(browser);
  const cases = [
    ...sizes.map((size) => ({ size, label: size.toLocaleString('en'), collapse: {} })),
    ...sizes.map((size) => ({
      size,
      label: `${size.toLocaleString('en')}, full`,
      collapse: { minShare: 0, maxChildren: 1000 },
    })),
  ];
  for (const { size, label, collapse } of cases) {
    const snapshot = serverSnapshot(size);
    const merge = [];
    const fold = [];
    const render = [];
    let graph;
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const merged = mergeStacks(snapshot);
      const merged_ = performance.now();
      graph = collapseBranches(merged, collapse);
      const folded = performance.now();
      const picture = {
        kind: 'graph',
        sessionName: `bench ${size}`,
        sessionId: `bench-${size}-${run}`,
        stale: false,
        takenAt: snapshot.takenAt,
        notes: pictureNotes(graph),
        graph,
      };
      render.push(await stacksPage.show(picture));
      merge.push(merged_ - started);
      fold.push(folded - merged_);
    }
    const drawn = await stacksPage.page.locator('#viewport .box').count();
    if (drawn !== graph.nodes.length) throw new Error(`drew ${drawn} boxes of ${graph.nodes.length}`);
    const total = median(merge) + median(fold) + median(render);
    rows.push(
      `| ${label} | ${graph.nodes.length} | ${median(merge).toFixed(1)} ms | ${median(fold).toFixed(1)} ms | ${median(render).toFixed(1)} ms | **${total.toFixed(0)} ms** | ≤ ${goals[size].toLocaleString('en')} ms |`,
    );
  }
  if (stacksPage.errors.length) throw stacksPage.errors[0];
  await stacksPage.close();
} finally {
  await browser.close();
}
console.log(
  `## Async Stacks: merge + layout + first render (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, Chromium)\n`,
);
console.log(
  '| tasks | boxes drawn | merge (Node) | fold (Node) | layout + draw + paint (Chromium) | total | goal |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);

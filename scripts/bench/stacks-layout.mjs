#!/usr/bin/env node
// Chooses the Async Stacks picture's layout library by measurement: layout time for merged-stack
// graphs of 100 / 1 000 / 10 000 nodes, and what each library adds to a minified browser bundle.
//   graphs:   trees shaped like merged stacks (a few roots, heavy-tailed branching, boxes 1–8 frames
//             tall), the same seeded graphs for every library.
//   libraries: @dagrejs/dagre (layered, synchronous) and elkjs (its `layered` algorithm, the one that
//             draws call trees like dagre, and its `mrtree` tree algorithm), both on the main thread,
//             as the webview would run them.
// Median of 3 (one run where a layout takes more than 10 s). Prints Markdown for BENCHMARKS.md.
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { readCommandLine } from '../lib/commandLine.mjs';
import { median } from './lib/median.mjs';

readCommandLine({ usage: 'node scripts/bench/stacks-layout.mjs (no options)' });

const root = new URL('../..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const dagre = require('@dagrejs/dagre');
const ELK = require('elkjs/lib/elk.bundled.js');
const elk = new ELK();

const sizes = [100, 1_000, 10_000];

/** A deterministic pseudo-random sequence (mulberry32), so every library lays out the same graphs. */
function random(seed) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A forest of `size` boxes: each new box hangs under an earlier one, favouring recent (deeper) ones. */
function mergedStackTree(size) {
  const next = random(size);
  const nodes = [];
  const edges = [];
  for (let index = 0; index < size; index++) {
    nodes.push({ id: `n${index}`, width: 240, height: 24 + 16 * (1 + Math.floor(next() * 8)) });
    if (index < 3) continue; // three roots
    const parent = Math.floor(index * (1 - next() ** 3));
    edges.push({ from: `n${Math.min(parent, index - 1)}`, to: `n${index}` });
  }
  return { nodes, edges };
}

function layoutWithDagre(graph) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 40 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width: node.width, height: node.height });
  for (const edge of graph.edges) g.setEdge(edge.from, edge.to);
  dagre.layout(g);
  return g.graph().width;
}

async function layoutWithElk(graph, algorithm) {
  const result = await elk.layout({
    id: 'root',
    layoutOptions: { 'elk.algorithm': algorithm, 'elk.direction': 'DOWN', 'elk.spacing.nodeNode': '24' },
    children: graph.nodes.map((node) => ({ id: node.id, width: node.width, height: node.height })),
    edges: graph.edges.map((edge, index) => ({ id: `e${index}`, sources: [edge.from], targets: [edge.to] })),
  });
  return result.width;
}

const libraries = [
  { name: '@dagrejs/dagre (layered)', layout: async (graph) => layoutWithDagre(graph) },
  { name: 'elkjs `layered`', layout: (graph) => layoutWithElk(graph, 'layered') },
  { name: 'elkjs `mrtree`', layout: (graph) => layoutWithElk(graph, 'mrtree') },
];

async function timeLayout(library, graph) {
  const times = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    await library.layout(graph);
    times.push(performance.now() - started);
    if (times[0] > 10_000) break;
  }
  return median(times);
}

/** What the library adds to a minified browser bundle (esbuild, the webview bundle's settings). */
async function bundleSize(contents) {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'silent',
  });
  const bytes = result.outputFiles[0].contents;
  return { raw: bytes.length, gzip: gzipSync(bytes).length };
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const graphs = sizes.map((size) => mergedStackTree(size));
// Warm up each library once on a small graph so the first timed run is not paying for JIT alone.
for (const library of libraries) await library.layout(graphs[0]);

console.log(
  `## Async Stacks: layout library (${new Date().toISOString().slice(0, 10)}, Node ${process.version})\n`,
);
console.log(
  `| library | ${sizes.map((size) => `${size.toLocaleString('en')} nodes`).join(' | ')} | minified bundle (gzip) |`,
);
console.log(`|---|${sizes.map(() => '---:').join('|')}|---:|`);
const sources = {
  '@dagrejs/dagre (layered)': "import dagre from '@dagrejs/dagre'; globalThis.l = dagre.layout;",
  'elkjs `layered`': "import ELK from 'elkjs/lib/elk.bundled.js'; globalThis.l = new ELK();",
  'elkjs `mrtree`': "import ELK from 'elkjs/lib/elk.bundled.js'; globalThis.l = new ELK();",
};
for (const library of libraries) {
  const cells = [];
  for (const graph of graphs) cells.push(`${(await timeLayout(library, graph)).toFixed(0)} ms`);
  const size = await bundleSize(sources[library.name]);
  console.log(`| ${library.name} | ${cells.join(' | ')} | ${kib(size.raw)} (${kib(size.gzip)}) |`);
}

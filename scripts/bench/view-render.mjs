#!/usr/bin/env node
// Snapshot + render time of the Async Tasks view for 1 000 / 10 000 / 100 000 pending tasks.
//   agent:  a real program under the real agent creates the tasks; the agent's snapshotJson() is timed
//           inside it (what DAP evaluate waits for), the view side in this process.
//   view:   the view's work on that JSON: parse and check, group, find problems, build the rows VS Code
//           asks for (sessions, problems, groups, the first group's tasks) with their words.
//   worst case: a source that does not aggregate (every task sent, shown by type): synthetic tasks of
//           the snapshot format, 20 distinct awaited things. Both runtimes group at the source now; this
//           bounds what a foreign or hand-written snapshot costs.
// Goals (issue 7): ≤ 200 ms at 10 000, ≤ 1 s at 100 000. Median of 3 runs each; prints Markdown.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { median } from './lib/median.mjs';

readCommandLine({ usage: 'node scripts/bench/view-render.mjs (after a build; no options)' });
const root = new URL('../..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const { parseSnapshot } = require(join(root, 'out/src/snapshot/checkSnapshot.js'));
const { SessionStore } = require(join(root, 'out/src/tasks/state/sessionStore.js'));
const { ViewOptionsStore } = require(join(root, 'out/src/tasks/state/viewOptions.js'));
const { TaskRows } = require(join(root, 'out/src/tasks/rows/taskRows.js'));
const taskWords = require(join(root, 'out/src/tasks/wording/taskWords.js'));
const viewWords = require(join(root, 'out/src/tasks/wording/viewWords.js'));

const sizes = [1_000, 10_000, 100_000];
const runs = 3;

/** The program: async functions at three sites, each call leaving three pending promises (≈ `size` in all). */
const program = `
const [size, out, runs] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4])];
const held = [];
function hangForever() { return new Promise((resolve) => held.push(resolve)); }
async function fetchUser() { await hangForever(); }
async function pollQueue() { await hangForever(); }
async function sendMail() { await hangForever(); }
const kinds = [fetchUser, pollQueue, sendMail];
// In batches every 20 ms (≈ 60 000 promises a second), below the rate at which the agent's promise
// tracking steps aside: every task keeps its record and site, as in a program a person steps through.
const calls = Math.round(size / 3);
function createBatch(from) {
  const to = Math.min(calls, from + 300);
  for (let i = from; i < to; i++) kinds[i % 3]();
  if (to < calls) setTimeout(createBatch, 20, to);
  else setTimeout(measure, 20);
}
createBatch(0);
function measure() {
  const times = [];
  let json = '';
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    json = globalThis.__asyncToolkit.snapshotJson({ maxTasksPerGroup: 100 });
    times.push(performance.now() - started);
  }
  require('node:fs').writeFileSync(out, JSON.stringify({ times, json }));
  process.exit(0);
}
`;

/** What the view computes for the rows a user sees first: the session, its problems, groups, the first group's tasks. */
function render(text) {
  const snapshot = parseSnapshot(text);
  const store = new SessionStore();
  store.add({
    id: 's',
    name: 'bench.js [1]',
    debugType: 'pwa-node',
    sourceLabel: 'bench',
    capturesWhileRunning: true,
  });
  store.paused('s');
  store.captured(store.captureStarted('s'), snapshot, Date.now());
  const taskRows = new TaskRows(store, new ViewOptionsStore(), 200);
  let rows = 0;
  const [sessionRow] = taskRows.roots();
  const children = sessionRow.expand();
  for (const row of children) {
    if (row.kind === 'group') viewWords.describeGroupRow(row.group);
    if (row.kind === 'findings') viewWords.describeFindings(row.findings);
    rows += 1;
  }
  const firstGroup = children.find((row) => row.kind === 'group');
  for (const row of firstGroup?.expand?.() ?? []) {
    if (row.kind === 'task') {
      taskWords.describeTask(row.task);
      taskWords.taskTooltipMarkdown(row.task);
    }
    rows += 1;
  }
  return { rows, total: taskRows.countOf(store.get('s')) };
}

function timeRender(text) {
  const times = [];
  let result;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    result = render(text);
    times.push(performance.now() - started);
  }
  return { ms: median(times), ...result };
}

function syntheticUngrouped(size) {
  const tasks = [];
  for (let i = 0; i < size; i++) {
    tasks.push({
      id: `t${i}`,
      parentId: i % 10 === 0 ? null : `t${i - (i % 10)}`,
      name: `Task-${i}`,
      type: 'Task',
      state: 'pending',
      ageMs: i,
      awaiting: `Queue.get() #${i % 20}`,
      stack: [{ file: '/app/worker.py', line: 10 + (i % 20), functionName: 'worker' }],
      stackKind: 'suspended',
    });
  }
  return JSON.stringify({ version: 2, runtime: 'asyncio', pid: 1, takenAt: Date.now(), tasks });
}

const dir = mkdtempSync(join(tmpdir(), 'async-toolkit-bench-'));
const lines = [
  '| pending tasks | agent snapshotJson | JSON sent | view: parse + group + first rows | snapshot + render | worst case, all tasks sent (JSON, view) |',
  '|---|---|---|---|---|---|',
];
try {
  writeFileSync(join(dir, 'program.js'), program);
  for (const size of sizes) {
    const out = join(dir, `snapshot-${size}.json`);
    execFileSync(
      process.execPath,
      ['--require', join(root, 'dist/agent.js'), join(dir, 'program.js'), String(size), out, String(runs)],
      {
        stdio: 'inherit',
      },
    );
    const { times, json } = JSON.parse(readFileSync(out, 'utf8'));
    const agentMs = median(times);
    const view = timeRender(json);
    const ungrouped = syntheticUngrouped(size);
    const worst = timeRender(ungrouped);
    lines.push(
      `| ${view.total.toLocaleString('en')} | ${agentMs.toFixed(0)} ms | ${(json.length / 1024).toFixed(0)} KiB | ${view.ms.toFixed(1)} ms | ${(agentMs + view.ms).toFixed(0)} ms | ${(ungrouped.length / 1024 / 1024).toFixed(1)} MiB, ${worst.ms.toFixed(0)} ms |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`## Async Tasks view\n\nSnapshot + render, median of ${runs} (Node ${process.version}):\n`);
console.log(lines.join('\n'));

#!/usr/bin/env node
// Node agent: snapshot time when operations wait in several libraries at once — a generic-pool pool, a
// p-queue and `events.once` (scripts/bench/lib/libraryWaitsProgram.mjs) — on a heap of N objects. Each
// library's wait is described from the library's live objects, found on the heap; a heap walk costs a
// full collection and a pass over the whole heap whatever it asks for. Rows, interleaved round by
// round: this build and another (`BENCH_COMPARE_AGENT=/abs/path/to/agent.js`). Median of the snapshots
// of one process per round, median over rounds.
import { join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { repositoryRoot } from './lib/agentVariants.mjs';
import { median } from './lib/median.mjs';
import { snapshotRounds } from './lib/snapshotRounds.mjs';

const usage =
  'node scripts/bench/agent-library-waits.mjs [--objects N (300000)] [--snapshots N (3)] [--rounds N (3)] (tuned by BENCH_COMPARE_AGENT)';
const { values } = readCommandLine({
  usage,
  options: {
    objects: { type: 'string', default: '300000' },
    snapshots: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
  },
});
const program = join(repositoryRoot, 'scripts', 'bench', 'lib', 'libraryWaitsProgram.mjs');
const results = snapshotRounds(program, [values.objects, values.snapshots], Number(values.rounds));
console.log(
  `### Snapshot time, waits in a pool, a queue and events.once on a heap of ${values.objects} objects (${new Date().toISOString().slice(0, 10)}, Node ${process.version})`,
);
console.log(
  `| variant | snapshot (ms, median of ${values.snapshots} × ${values.rounds} rounds) | rounds (ms) | groups described |`,
);
console.log('|---|---|---|---|');
for (const { label, medians, report } of results) {
  const groups = report.groups ?? [];
  const described = groups.filter((text) => text.includes(' — ') || text.startsWith('events.once(')).length;
  console.log(
    `| ${label} | ${median(medians).toFixed(0)} | ${medians.map((ms) => ms.toFixed(0)).join(', ')} | ${described} of ${groups.length} |`,
  );
}

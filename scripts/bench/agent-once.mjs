#!/usr/bin/env node
// Node agent: snapshot time when a server's clients wait in `events.once` (a ws server, N clients each
// awaited with `events.once(socket, 'message')`: scripts/bench/lib/webSocketClientsWaiting.cjs). The
// agent reads the emitters to say who the peers are; rows, interleaved round by round: this build and
// another (`BENCH_COMPARE_AGENT=/abs/path/to/agent.js`). Median of the snapshots of one process per
// round, median over rounds.
import { join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { repositoryRoot } from './lib/agentVariants.mjs';
import { median } from './lib/median.mjs';
import { snapshotRounds } from './lib/snapshotRounds.mjs';

const usage =
  'node scripts/bench/agent-once.mjs [--clients N (1000)] [--snapshots N (3)] [--rounds N (3)] (tuned by BENCH_COMPARE_AGENT)';
const { values } = readCommandLine({
  usage,
  options: {
    clients: { type: 'string', default: '1000' },
    snapshots: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
  },
});
const program = join(repositoryRoot, 'scripts', 'bench', 'lib', 'webSocketClientsWaiting.cjs');
const results = snapshotRounds(program, [values.clients, values.snapshots], Number(values.rounds));
console.log(
  `### Snapshot time, ${values.clients} ws clients waiting in events.once (${new Date().toISOString().slice(0, 10)}, Node ${process.version})`,
);
console.log(
  `| variant | snapshot (ms, median of ${values.snapshots} × ${values.rounds} rounds) | rounds (ms) | the group reads |`,
);
console.log('|---|---|---|---|');
for (const { label, medians, report } of results) {
  const awaiting = String(report.awaiting ?? '');
  const shown = awaiting.length > 70 ? `${awaiting.slice(0, 69)}…` : awaiting;
  console.log(
    `| ${label} | ${median(medians).toFixed(0)} | ${medians.map((ms) => ms.toFixed(0)).join(', ')} | \`${shown}\` |`,
  );
}

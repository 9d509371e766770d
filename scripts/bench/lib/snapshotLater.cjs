// Preloaded after the agent by the operations benchmark: after ASYNC_TOOLKIT_BENCH_SNAPSHOT_MS it takes
// one snapshot in the default grouping, every operation sent, and prints on stderr one line
// `@@operations {…}`: how many operations, how many with exact stacks (as the agent counts them), the
// snapshot's time and its notes. Then the program exits.
const after = Number(process.env.ASYNC_TOOLKIT_BENCH_SNAPSHOT_MS || 1000);
setTimeout(() => {
  const started = process.hrtime.bigint();
  const snapshot = globalThis.__asyncToolkit.snapshot({
    maxTasksPerGroup: 1e6,
    maxGroups: 1e6,
    maxStackFrames: 50,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  // The agent's own count ("N of M operations have exact stacks", present when some have none): a row
  // with no frame at all (promises past the budget without even a context site) has no inferred frame
  // either, so counting rows without one took those for exact.
  const counted = /^(\d+) of \d+ operations have exact stacks/.exec((snapshot.notes ?? []).join('\n'));
  const exact = counted ? Number(counted[1]) : snapshot.tasks.length;
  const report = {
    operations: snapshot.tasks.length,
    exact,
    groups: (snapshot.groups ?? []).length,
    ms,
    notes: snapshot.notes ?? [],
  };
  process.stderr.write(`@@operations ${JSON.stringify(report)}\n`);
  process.exit(0);
}, after);

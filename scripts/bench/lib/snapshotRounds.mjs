// The rounds of a snapshot benchmark: a program run with this build's agent and, when
// `BENCH_COMPARE_AGENT` names one, another build's, interleaved round by round. The program prints, as
// its last line, JSON with `times` (one per snapshot it took) and whatever else it reports; each
// variant gets the median of each round's times, and the last round's report.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repositoryRoot } from './agentVariants.mjs';
import { median } from './median.mjs';

/** This build, and the other one `BENCH_COMPARE_AGENT` names. */
export function agentBuilds() {
  return [
    ['this build', join(repositoryRoot, 'dist', 'agent.js')],
    ...(process.env.BENCH_COMPARE_AGENT ? [['other build', process.env.BENCH_COMPARE_AGENT]] : []),
  ];
}

/**
 * @param {string} program the benchmark's program
 * @param {string[]} args its arguments
 * @param {number} rounds processes per variant
 * @returns {{ label: string, medians: number[], report: Record<string, unknown> }[]}
 */
export function snapshotRounds(program, args, rounds) {
  const results = agentBuilds().map(([label, agent]) => ({ label, agent, medians: [], report: {} }));
  for (let round = 0; round < rounds; round++) {
    for (const result of results) {
      const run = spawnSync(process.execPath, ['--require', result.agent, program, ...args], {
        cwd: repositoryRoot,
        encoding: 'utf8',
      });
      if (run.status !== 0) throw new Error(`${result.label} exited with ${run.status}: ${run.stderr}`);
      const report = JSON.parse(run.stdout.trim().split('\n').pop());
      result.medians.push(median(report.times));
      result.report = report;
    }
  }
  return results;
}

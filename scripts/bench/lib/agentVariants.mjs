// The variants every agent benchmark compares, each the same program: without the agent, then with it
// in each creation-stack mode (the environment a debug launch would give it).
import { join } from 'node:path';

export const repositoryRoot = new URL('../../..', import.meta.url).pathname;
const agent = join(repositoryRoot, 'dist', 'agent.js');
const promiseHookOnce = join(repositoryRoot, 'test', 'fixtures', 'agent', 'promiseHookOnce.js');

export const agentVariants = [
  { label: 'no agent', env: {} },
  {
    label: 'agent, `off`',
    env: { NODE_OPTIONS: `--require ${agent}`, ASYNC_TOOLKIT_CREATION_STACKS: 'off' },
  },
  { label: 'agent, `sampled` (default)', env: { NODE_OPTIONS: `--require ${agent}` } },
  {
    label: 'agent, `all`',
    env: { NODE_OPTIONS: `--require ${agent}`, ASYNC_TOOLKIT_CREATION_STACKS: 'all' },
    // The churn benchmark runs this mode once per process: at ~10 s a repetition (~18 s under a
    // debugger), warm-up is lost in the noise and five repetitions would take most of its time budget.
    repetitions: 1,
  },
];

// A reference for the speed benchmarks, not an agent: a promise hook installed and removed before the
// program runs. V8's promise hook protector is one-way, so this already turns off the await fast paths
// for the whole process: no agent built on promise hooks can be faster.
export const promiseHookFloor = {
  label: 'promise hook installed once, then removed (floor of any hook-based agent)',
  env: { NODE_OPTIONS: `--require ${promiseHookOnce}` },
};

// Another build of the agent, to compare a change with what it replaces in the same run:
// `BENCH_COMPARE_AGENT=/abs/path/to/agent.js` adds its default mode as a row after the floor.
const otherBuild = process.env.BENCH_COMPARE_AGENT;
const comparedBuild = otherBuild
  ? [{ label: `other build (${otherBuild}), \`sampled\``, env: { NODE_OPTIONS: `--require ${otherBuild}` } }]
  : [];

// The speed benchmarks' rows: without the agent, the floor, then each creation-stack mode.
export const agentVariantsWithFloor = [
  agentVariants[0],
  promiseHookFloor,
  ...comparedBuild,
  ...agentVariants.slice(1),
];

// The variants every agent benchmark compares, each the same program: without the agent, then with it
// in each creation-stack mode (the environment a debug launch would give it).
import { join } from 'node:path';

export const repositoryRoot = new URL('../../..', import.meta.url).pathname;
const agent = join(repositoryRoot, 'dist', 'agent.js');

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
  },
];

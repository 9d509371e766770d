// Runs a guest case the way a debug launch would: the launch configuration goes through the extension's
// own injection plan (agentInjectionPlan.ts), so the agent is loaded exactly as users get it (or left
// out, when the plan says so), on a given Node binary and creation-stack mode. Runs share a small pool:
// majors and modes run side by side, within what the machine can take.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { planAgentInjection } from '../../src/tasks/sources/node/agentInjectionPlan';
import type { CreationStacksMode } from '../../src/tasks/tasksSettings';
import { agentPath } from '../unit/agent/runWithAgent';
import { casesDir } from './guestCases';

export interface GuestRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** What the injection plan decided, for the test's message. */
  plan: string;
}

/**
 * The agent under test: the build's, or another build given in ASYNC_TOOLKIT_GUEST_AGENT (to show that
 * the suite fails on the agent a fix replaced).
 */
const guestAgent = process.env.ASYNC_TOOLKIT_GUEST_AGENT || agentPath;

/** `none`: without the agent; otherwise the `asyncToolkit.node.creationStacks` setting. */
export type GuestMode = 'none' | CreationStacksMode;

const parallel =
  Number(process.env.ASYNC_TOOLKIT_GUEST_JOBS) || Math.max(2, Math.min(6, availableParallelism() * 2));
let running = 0;
const waiting: (() => void)[] = [];

async function inPool<T>(work: () => Promise<T>): Promise<T> {
  if (running >= parallel) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

export function runGuest(node: string, file: string, nodeArgs: string[], mode: GuestMode): Promise<GuestRun> {
  // Nothing of the runner's own environment decides how the agent loads.
  const env: Record<string, string | undefined> = { ...process.env, NODE_OPTIONS: undefined };
  delete env.ASYNC_TOOLKIT_CREATION_STACKS;
  let plan = 'no agent';
  if (mode !== 'none') {
    const decided = planAgentInjection(
      { type: 'node', name: file, request: 'launch', runtimeArgs: nodeArgs, env: {} },
      guestAgent,
      { injectAgent: true, creationStacks: mode },
      undefined,
    );
    plan = decided.reason;
    Object.assign(env, decided.env ?? {});
  }
  return inPool(
    () =>
      new Promise<GuestRun>((resolve, reject) => {
        const child = spawn(node, [...nodeArgs, join(casesDir, file)], {
          cwd: casesDir,
          env: env as NodeJS.ProcessEnv,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
        });
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.on('error', reject);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal, stdout, stderr, plan });
        });
      }),
  );
}

// How one launch configuration changes to load the agent: pure, so every rule is unit-tested
// (injection off, attach, already loaded by the user, the user's NODE_OPTIONS kept, creation stacks).
import type * as Dotenv from 'dotenv';
import type { DebugConfiguration } from 'vscode';
import type { TasksSettings } from '../../tasksSettings';
import {
  argumentsLoad,
  nodeOptionsLoad,
  permittedReads,
  readPermitted,
  splitNodeOptions,
  withAgentRequired,
} from './nodeOptions';

export const CREATION_STACKS_VARIABLE = 'ASYNC_TOOLKIT_CREATION_STACKS';

type Environment = Record<string, string | null | undefined>;

export interface InjectionPlan {
  /** The launch's new `env`, or undefined to leave the launch alone. */
  env?: Environment;
  /** Why, for the log. */
  reason: string;
  /** What the Async Tasks view tells the user about this launch, when the agent was left out for a reason they can change. */
  userNote?: string;
}

/**
 * The note for a launch under Node's permission model that does not let the program read the agent.
 * The agent is left out rather than given a permission the user did not grant: with it, Node 20 stops
 * the program at start (ERR_ACCESS_DENIED on the --require), and a debugger cannot attach on any
 * Node without `--allow-inspector` (Node 24+) anyway.
 */
export function permissionModelNote(agentPath: string): string {
  return (
    "This program runs under Node's permission model, which does not let it read the Async Toolkit agent, so the agent was not loaded. " +
    `To load it, add "--allow-fs-read=${agentPath}" to the launch's runtimeArgs (and "--allow-inspector" on Node 24 and later, which debugging needs too).`
  );
}

/** Decides how to change one launch configuration. Pure: the caller passes the inherited NODE_OPTIONS. */
export function planAgentInjection(
  config: DebugConfiguration,
  agentPath: string,
  settings: Pick<TasksSettings, 'injectAgent' | 'creationStacks'>,
  inheritedNodeOptions: string | undefined,
): InjectionPlan {
  if (!settings.injectAgent) return { reason: 'asyncToolkit.node.injectAgent is off' };
  if (config.request !== 'launch') return { reason: `a “${config.request}” session cannot load the agent` };
  // Run Without Debugging: no debugger to ask for snapshots, so the agent would be pure cost.
  if (config.noDebug === true) return { reason: 'a launch without debugging has no snapshots to take' };
  // js-debug starts a child session for each process it attached to, through the same resolvers:
  // that process runs already (with the agent if its launch had it).
  if ('__pendingTargetId' in config) return { reason: 'a process session of a launch already started' };
  const runtimeArgs: unknown[] = Array.isArray(config.runtimeArgs) ? config.runtimeArgs : [];
  if (argumentsLoad(runtimeArgs.map(String), agentPath))
    return { reason: 'runtimeArgs already load the agent' };
  const env: Environment = { ...(config.env as Environment | undefined) };
  // js-debug merges `env` over the extension host's environment; a NODE_OPTIONS set to null there removes it.
  const existing = 'NODE_OPTIONS' in env ? (env.NODE_OPTIONS ?? undefined) : inheritedNodeOptions;
  if (nodeOptionsLoad(existing, agentPath)) return { reason: 'NODE_OPTIONS already loads the agent' };
  const reads = permittedReads([...runtimeArgs.map(String), ...splitNodeOptions(existing ?? '')]);
  if (reads !== undefined && !readPermitted(reads, agentPath)) {
    return {
      reason: "Node's permission model is on and does not allow reading the agent",
      userNote: permissionModelNote(agentPath),
    };
  }
  env.NODE_OPTIONS = withAgentRequired(existing, agentPath);
  if (settings.creationStacks !== 'default' && !env[CREATION_STACKS_VARIABLE]) {
    env[CREATION_STACKS_VARIABLE] = settings.creationStacks;
  }
  return { env, reason: `NODE_OPTIONS=${env.NODE_OPTIONS}` };
}

/** NODE_OPTIONS as an `envFile` (dotenv format, as js-debug reads it) sets it; undefined when it does not. */
export function nodeOptionsOfEnvFile(text: string): string | undefined {
  // Loaded on first use, not at activation: most launches have no envFile.
  const dotenv: typeof Dotenv = require('dotenv');
  return dotenv.parse(text).NODE_OPTIONS;
}

// Loads the agent into Node programs launched for debugging: a DebugConfigurationProvider for
// js-debug's Node types adds `--require <dist/agent.js>` to the launch's NODE_OPTIONS (after the
// user's own, which keep working), like js-debug does with its bootloader. It runs after variable
// substitution, so `${workspaceFolder}` in the user's env is already resolved when we read it.
import * as vscode from 'vscode';
import type { TasksSettings } from '../tasksSettings';
import { nodeOptionsLoad, withAgentRequired } from './nodeOptions';

/** js-debug's types for Node programs: launch configs (`node`, `pwa-node`) and the JavaScript Debug Terminal. */
export const NODE_DEBUG_TYPES = ['node', 'pwa-node', 'node-terminal'] as const;

export const CREATION_STACKS_VARIABLE = 'ASYNC_TOOLKIT_CREATION_STACKS';

type Environment = Record<string, string | null | undefined>;

export interface InjectionPlan {
  /** The launch's new `env`, or undefined to leave the launch alone. */
  env?: Environment;
  /** Why, for the log. */
  reason: string;
}

/** Decides how to change one launch configuration. Pure: the caller passes the inherited NODE_OPTIONS. */
export function planAgentInjection(
  config: vscode.DebugConfiguration,
  agentPath: string,
  settings: Pick<TasksSettings, 'injectAgent' | 'creationStacks'>,
  inheritedNodeOptions: string | undefined,
): InjectionPlan {
  if (!settings.injectAgent) return { reason: 'asyncToolkit.node.injectAgent is off' };
  if (config.request !== 'launch') return { reason: `a “${config.request}” session cannot load the agent` };
  const runtimeArgs: unknown[] = Array.isArray(config.runtimeArgs) ? config.runtimeArgs : [];
  if (nodeOptionsLoad(runtimeArgs.map(String).join(' '), agentPath)) {
    return { reason: 'runtimeArgs already load the agent' };
  }
  const env: Environment = { ...(config.env as Environment | undefined) };
  // js-debug merges `env` over the extension host's environment; a NODE_OPTIONS set to null there removes it.
  const existing = 'NODE_OPTIONS' in env ? (env.NODE_OPTIONS ?? undefined) : inheritedNodeOptions;
  if (nodeOptionsLoad(existing, agentPath)) return { reason: 'NODE_OPTIONS already loads the agent' };
  env.NODE_OPTIONS = withAgentRequired(existing, agentPath);
  if (settings.creationStacks !== 'default' && !env[CREATION_STACKS_VARIABLE]) {
    env[CREATION_STACKS_VARIABLE] = settings.creationStacks;
  }
  return { env, reason: `NODE_OPTIONS=${env.NODE_OPTIONS}` };
}

class NodeAgentInjector implements vscode.DebugConfigurationProvider {
  constructor(
    private readonly agentPath: string,
    private readonly settings: (folder?: vscode.WorkspaceFolder) => TasksSettings,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration {
    // A restricted-mode workspace may hold launch configurations written by someone else: loading
    // our code into their programs is still fine, but we promise not to touch them there.
    if (!vscode.workspace.isTrusted) {
      this.log.info(
        `Async Tasks: not loading the agent into “${config.name}”: the workspace is not trusted.`,
      );
      return config;
    }
    const plan = planAgentInjection(config, this.agentPath, this.settings(folder), process.env.NODE_OPTIONS);
    this.log.info(
      `Async Tasks: “${config.name}” (${config.type}): ${plan.env ? 'agent loaded with' : 'agent not loaded:'} ${plan.reason}`,
    );
    return plan.env ? { ...config, env: plan.env } : config;
  }
}

export function registerNodeAgentInjection(
  agentPath: string,
  settings: (folder?: vscode.WorkspaceFolder) => TasksSettings,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  const injector = new NodeAgentInjector(agentPath, settings, log);
  return vscode.Disposable.from(
    ...NODE_DEBUG_TYPES.map((type) => vscode.debug.registerDebugConfigurationProvider(type, injector)),
  );
}

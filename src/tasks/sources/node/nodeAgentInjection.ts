// Loads the agent into Node programs launched for debugging: a DebugConfigurationProvider for
// js-debug's Node types adds `--require <dist/agent.js>` to the launch's NODE_OPTIONS (after the
// user's own, which keep working), like js-debug does with its bootloader. It runs after variable
// substitution, so `${workspaceFolder}` in the user's env is already resolved when we read it.
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { TasksSettings } from '../../tasksSettings';
import { nodeOptionsOfEnvFile, planAgentInjection } from './agentInjectionPlan';

/**
 * Where a launch carries the injection's note for the view (the agent left out, and how to load it):
 * a property of the resolved configuration, which its debug sessions keep.
 */
export const AGENT_NOTE_PROPERTY = 'asyncToolkitAgentNote';

/** The injection's note for a session, if its launch (or the launch above it) has one. */
export function agentNoteOf(session: vscode.DebugSession): string | undefined {
  for (let current: vscode.DebugSession | undefined = session; current; current = current.parentSession) {
    const note = current.configuration[AGENT_NOTE_PROPERTY];
    if (typeof note === 'string') return note;
  }
  return undefined;
}

/** js-debug's types for Node programs: launch configs (`node`, `pwa-node`) and the JavaScript Debug Terminal. */
export const NODE_DEBUG_TYPES = ['node', 'pwa-node', 'node-terminal'] as const;

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
    // Restricted Mode: we change nothing about how the workspace's programs start (the promise in
    // package.json's `untrustedWorkspaces`); the view still counts promises through the CDP proxy.
    if (!vscode.workspace.isTrusted) {
      this.log.info(
        `Async Tasks: not loading the agent into “${config.name}”: the workspace is not trusted.`,
      );
      return config;
    }
    const inherited = inheritedNodeOptions(config, this.log);
    const plan = planAgentInjection(config, this.agentPath, this.settings(folder), inherited);
    this.log.info(
      `Async Tasks: “${config.name}” (${config.type}): ${plan.env ? 'agent loaded with' : 'agent not loaded:'} ${plan.reason}`,
    );
    if (plan.userNote) return { ...config, [AGENT_NOTE_PROPERTY]: plan.userNote };
    return plan.env ? { ...config, env: plan.env } : config;
  }
}

/**
 * The NODE_OPTIONS the program would get without `env`: js-debug layers the launch's `envFile` over the
 * extension host's environment, then `env` over both. Read here so that options set only in an
 * `envFile` are kept rather than replaced by ours.
 */
function inheritedNodeOptions(
  config: vscode.DebugConfiguration,
  log: vscode.LogOutputChannel,
): string | undefined {
  const fromHost = process.env.NODE_OPTIONS;
  if (typeof config.envFile !== 'string' || config.envFile === '') return fromHost;
  try {
    return nodeOptionsOfEnvFile(readFileSync(config.envFile, 'utf8')) ?? fromHost;
  } catch (error) {
    // js-debug reports a missing envFile itself, when it starts the program.
    log.warn(`Async Tasks: could not read envFile ${config.envFile}: ${(error as Error).message}`);
    return fromHost;
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

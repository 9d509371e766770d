// Every setting of the Async Tasks view and the Node source, read in this one place. Each is
// documented in package.json (`contributes.configuration`) with a markdownDescription.
import * as vscode from 'vscode';

export type CreationStacksMode = 'default' | 'all' | 'sampled' | 'off';

export interface TasksSettings {
  /** `asyncToolkit.node.injectAgent`: add the agent to Node launches. */
  injectAgent: boolean;
  /** `asyncToolkit.node.creationStacks`: passed to the agent as ASYNC_TOOLKIT_CREATION_STACKS (unset for `default`). */
  creationStacks: CreationStacksMode;
  /** `asyncToolkit.refreshWhileRunning`: take snapshots every `refreshIntervalSeconds` while the view is visible. */
  refreshWhileRunning: boolean;
  refreshIntervalSeconds: number;
  /** `asyncToolkit.tasks.snapshotTimeoutSeconds`: give up on a snapshot after this long. */
  snapshotTimeoutSeconds: number;
  /** `asyncToolkit.tasks.maxTasksPerGroup`: tasks sent per group; more are fetched when a group is expanded. */
  maxTasksPerGroup: number;
  /** `asyncToolkit.tasks.stuckAfterSeconds`: a task waiting this long at one await is reported as stuck. */
  stuckAfterSeconds: number;
  /** `asyncToolkit.tasks.showProblemsWhilePaused`: findings also go to the Problems panel while a program is paused. */
  showProblemsWhilePaused: boolean;
}

const CREATION_STACKS: readonly CreationStacksMode[] = ['default', 'all', 'sampled', 'off'];

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}

/** `scope`: the launch's folder for resource settings; null reads the workspace's value. */
export function readTasksSettings(scope: vscode.ConfigurationScope | null = null): TasksSettings {
  const config = vscode.workspace.getConfiguration('asyncToolkit', scope);
  const creationStacks = config.get<string>('node.creationStacks', 'default');
  return {
    injectAgent: config.get<boolean>('node.injectAgent', true),
    creationStacks: CREATION_STACKS.includes(creationStacks as CreationStacksMode)
      ? (creationStacks as CreationStacksMode)
      : 'default',
    refreshWhileRunning: config.get<boolean>('refreshWhileRunning', false),
    refreshIntervalSeconds: clamp(config.get<number>('refreshIntervalSeconds', 2), 0.5, 3600),
    snapshotTimeoutSeconds: clamp(config.get<number>('tasks.snapshotTimeoutSeconds', 10), 1, 600),
    maxTasksPerGroup: Math.round(clamp(config.get<number>('tasks.maxTasksPerGroup', 100), 1, 10_000)),
    stuckAfterSeconds: clamp(config.get<number>('tasks.stuckAfterSeconds', 10), 1, 86_400),
    showProblemsWhilePaused: config.get<boolean>('tasks.showProblemsWhilePaused', false),
  };
}

/** Fires when any of these settings changes. */
export function onTasksSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (
      event.affectsConfiguration('asyncToolkit.node') ||
      event.affectsConfiguration('asyncToolkit.refreshWhileRunning') ||
      event.affectsConfiguration('asyncToolkit.refreshIntervalSeconds') ||
      event.affectsConfiguration('asyncToolkit.tasks')
    ) {
      listener();
    }
  });
}

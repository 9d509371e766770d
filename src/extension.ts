import * as vscode from 'vscode';
import { registerNewProjectCommand } from './scaffold/newProjectCommand';
import { registerAsyncStacks } from './stacks/registerAsyncStacks';
import { registerTasksView } from './tasks/registerTasksView';
import { createNodeSource } from './tasks/sources/node/nodeSource';
import { createPythonSource } from './tasks/sources/python/pythonSource';
import { readTasksSettings } from './tasks/tasksSettings';

// Wiring only: each capability registers itself and hands back its disposables.
export function activate(context: vscode.ExtensionContext) {
  const log = vscode.window.createOutputChannel('Async Toolkit', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('asyncToolkit.showLog', () => log.show()),
  );
  const nodeSource = createNodeSource({
    agentPath: context.asAbsolutePath('dist/agent.js'),
    settings: readTasksSettings,
    log,
  });
  context.subscriptions.push(nodeSource);
  const sources = [
    nodeSource,
    createPythonSource({ probePath: context.asAbsolutePath('python/async_toolkit_probe.py'), log }),
  ];
  const tasks = registerTasksView(context, log, sources);
  registerAsyncStacks(context, tasks, log);
  const scaffold = registerNewProjectCommand(context, log);
  return { tasks, scaffold };
}

export function deactivate() {}

import * as vscode from 'vscode';

// Wiring only: each capability registers itself and hands back its disposables.
export function activate(context: vscode.ExtensionContext) {
  const log = vscode.window.createOutputChannel('Async Toolkit', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('asyncToolkit.showLog', () => log.show()),
  );
}

export function deactivate() {}

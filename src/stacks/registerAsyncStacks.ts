// Creates the Async Stacks panel's command. The panel reads the Async Tasks view's API only (its
// sessions and change event), so it knows nothing of how snapshots are taken.
import * as vscode from 'vscode';
import { AsyncStacksPanel, type SnapshotFeed } from './asyncStacksPanel';

export const SHOW_STACKS_COMMAND = 'asyncToolkit.showAsyncStacks';

export function registerAsyncStacks(
  context: vscode.ExtensionContext,
  feed: SnapshotFeed,
  log: vscode.LogOutputChannel,
): void {
  const panel = new AsyncStacksPanel(context.extensionUri, feed, log);
  context.subscriptions.push(
    panel,
    vscode.commands.registerCommand(SHOW_STACKS_COMMAND, () => panel.show()),
  );
}

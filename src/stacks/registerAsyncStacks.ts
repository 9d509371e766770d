// Creates the Async Stacks panel's command. The panel reads the Async Tasks view's API only (its
// sessions, their findings and the change event), so it knows nothing of how snapshots are taken.
import * as vscode from 'vscode';
import type { Finding } from '../snapshot/format';
import { AsyncStacksPanel, type SnapshotFeed } from './asyncStacksPanel';
import type { SessionEntry } from './chooseSession';

export const SHOW_STACKS_COMMAND = 'asyncToolkit.showAsyncStacks';

/** The Async Tasks view's API as the panel needs it: sessions, and what the view found wrong in each. */
export interface TasksFeed {
  sessions(): readonly SessionEntry[];
  findingsOf(sessionId: string): readonly Finding[] | undefined;
  onDidChange: vscode.Event<void>;
}

export function registerAsyncStacks(
  context: vscode.ExtensionContext,
  tasks: TasksFeed,
  log: vscode.LogOutputChannel,
): void {
  const feed: SnapshotFeed = {
    sessions: () =>
      tasks.sessions().map((session) => ({ ...session, findings: tasks.findingsOf(session.id) })),
    onDidChange: tasks.onDidChange,
  };
  const panel = new AsyncStacksPanel(context.extensionUri, feed, log);
  context.subscriptions.push(
    panel,
    vscode.commands.registerCommand(SHOW_STACKS_COMMAND, () => panel.show()),
  );
}

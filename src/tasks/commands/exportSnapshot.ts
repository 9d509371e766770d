// "Export Snapshot to JSON…": writes a session's snapshot where the user chooses, never over a file
// that exists without asking.
import * as vscode from 'vscode';
import type { Snapshot } from '../../snapshot/format';
import type { Row } from '../rows/rowTypes';
import type { SessionStore } from '../state/sessionStore';

/** The snapshot a row belongs to, or the first session's that has one. */
function snapshotFor(store: SessionStore, row?: Row): Snapshot | undefined {
  const session = row ? store.get(row.sessionId) : store.sessions().find((candidate) => candidate.snapshot);
  return session?.snapshot;
}

export function registerExportSnapshot(store: SessionStore, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(
    'asyncToolkit.exportTaskSnapshot',
    async (row?: Row, target?: vscode.Uri): Promise<vscode.Uri | undefined> => {
      const snapshot = snapshotFor(store, row);
      if (!snapshot) {
        void vscode.window.showInformationMessage(
          'No snapshot to export yet: pause a program or press Refresh.',
        );
        return undefined;
      }
      const stamp = new Date(snapshot.takenAt).toISOString().replace(/[:.]/g, '-');
      const uri =
        target ??
        (await vscode.window.showSaveDialog({
          title: 'Export Async Tasks Snapshot',
          defaultUri: vscode.Uri.joinPath(
            vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd()),
            `async-tasks-${snapshot.pid}-${stamp}.json`,
          ),
          filters: { JSON: ['json'] },
        }));
      if (!uri) return undefined;
      // The save dialog asks before replacing a file; a target passed in (tests, other extensions) never replaces one.
      const exists = target
        ? await vscode.workspace.fs.stat(target).then(
            () => true,
            () => false,
          )
        : false;
      if (exists) throw new Error(`${uri.fsPath} already exists; not overwriting it.`);
      await vscode.workspace.fs.writeFile(uri, Buffer.from(`${JSON.stringify(snapshot, null, 2)}\n`, 'utf8'));
      log.info(`Async Tasks: exported the snapshot of pid ${snapshot.pid} to ${uri.toString()}`);
      return uri;
    },
  );
}

// "Export Snapshot to JSON…": writes a session's snapshot where the user chooses (the home folder by
// default), never over a file that exists without asking, and says where it went.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { Snapshot } from '../../snapshot/format';
import type { Row } from '../rows/rowTypes';
import type { SessionStore } from '../state/sessionStore';
import { messages } from '../wording/viewWords';

const OPEN = 'Open';
const REVEAL = 'Reveal in File Explorer';

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
          // The home folder, not the workspace: a snapshot is not something to commit by accident.
          defaultUri: vscode.Uri.joinPath(
            vscode.Uri.file(homedir()),
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
      // Said with where it went and a way there; not awaited, so a caller gets the file at once.
      void vscode.window
        .showInformationMessage(messages.exported(uri.fsPath), OPEN, REVEAL)
        .then((choice) => {
          if (choice === OPEN) void vscode.window.showTextDocument(uri);
          if (choice === REVEAL) void vscode.commands.executeCommand('revealFileInOS', uri);
        });
      return uri;
    },
  );
}

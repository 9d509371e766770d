// Findings in the Problems panel while a program is paused (`asyncToolkit.tasks.showProblemsWhilePaused`):
// each at the line where its first task waits, the other tasks' lines as related places. Cleared as soon
// as nothing is paused, because a running program's waits change under the user's eyes.
import * as vscode from 'vscode';
import type { Finding, FindingSeverity, SourceLocation } from '../../snapshot/format';
import type { SessionState } from '../state/sessionStore';
import { taskLocation } from '../taskLocation';
import { FINDING_KIND_WORDS } from '../wording/viewWords';

const SEVERITIES: Record<FindingSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

function isFile(location: SourceLocation): boolean {
  return location.file.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(location.file);
}

function rangeOf(location: SourceLocation): vscode.Range {
  const position = new vscode.Position(
    Math.max(0, location.line - 1),
    Math.max(0, (location.column ?? 1) - 1),
  );
  return new vscode.Range(position, position);
}

export class ProblemsPanel implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('Async Toolkit');

  /** Shows the findings of paused sessions, or nothing when `enabled` is false. */
  update(
    sessions: readonly SessionState[],
    findingsOf: (session: SessionState) => Finding[] | undefined,
    enabled: boolean,
  ): void {
    this.collection.clear();
    if (!enabled) return;
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const session of sessions) {
      if (session.status !== 'paused' || session.stale || !session.snapshot) continue;
      const tasks = new Map(session.snapshot.tasks.map((task) => [task.id, task]));
      for (const finding of findingsOf(session) ?? []) {
        const places = finding.taskIds.flatMap((id) => {
          const task = tasks.get(id);
          const location = task && taskLocation(task)?.location;
          return location && isFile(location) ? [location] : [];
        });
        const main = finding.site && isFile(finding.site) ? finding.site : places[0];
        if (!main) continue;
        const diagnostic = new vscode.Diagnostic(
          rangeOf(main),
          finding.message,
          SEVERITIES[finding.severity],
        );
        diagnostic.source = 'Async Toolkit';
        diagnostic.code = FINDING_KIND_WORDS[finding.kind];
        diagnostic.relatedInformation = places
          .filter((place) => place !== main)
          .map(
            (place) =>
              new vscode.DiagnosticRelatedInformation(
                new vscode.Location(vscode.Uri.file(place.file), rangeOf(place)),
                `${place.functionName ?? 'a task'} waits here`,
              ),
          );
        byFile.set(main.file, [...(byFile.get(main.file) ?? []), diagnostic]);
      }
    }
    for (const [file, diagnostics] of byFile) this.collection.set(vscode.Uri.file(file), diagnostics);
  }

  dispose(): void {
    this.collection.dispose();
  }
}

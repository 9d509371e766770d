// Turns the sessions the Async Tasks view knows into what the webview shows: the chosen session's
// snapshot merged, folded and described, or a message saying why there is nothing to draw. Merging
// is cached per snapshot object, so expanding a "+N more" box only refolds.
import type { Finding, Snapshot } from '../snapshot/format';
import { chooseSession, type SessionEntry } from './chooseSession';
import { boxesOfTasks, type CollapseOptions, collapseBranches } from './collapseBranches';
import { type MergedStacks, mergeStacks } from './mergeStacks';
import type { BoxProblem, PictureState } from './messages';
import { ambiguousSessions, NO_SESSION, noSnapshot, noStacks, pictureNotes } from './pictureWording';
import type { StackGraph } from './stackGraph';

export class PictureBuilder {
  private readonly merged = new WeakMap<Snapshot, MergedStacks>();

  build(
    sessions: readonly SessionEntry[],
    activeSessionId: string | undefined,
    collapse: CollapseOptions,
  ): { state: PictureState; merged?: MergedStacks } {
    const choice = chooseSession(sessions, activeSessionId);
    switch (choice.kind) {
      case 'noSession':
        return { state: { kind: 'message', ...NO_SESSION } };
      case 'ambiguous':
        return { state: { kind: 'message', ...ambiguousSessions(choice.names) } };
      case 'noSnapshot':
        return { state: { kind: 'message', ...noSnapshot(choice.session) } };
    }
    const { session } = choice;
    let merged = this.merged.get(session.snapshot);
    if (!merged) {
      merged = mergeStacks(session.snapshot);
      this.merged.set(session.snapshot, merged);
    }
    const graph = collapseBranches(merged, collapse);
    if (!graph.nodes.length)
      return { state: { kind: 'message', ...noStacks(session, session.snapshot.runtime, graph) }, merged };
    return {
      state: {
        kind: 'graph',
        sessionName: session.name,
        sessionId: session.id,
        stale: session.stale,
        takenAt: session.snapshot.takenAt,
        notes: pictureNotes(graph),
        graph,
        problems: boxProblems(merged, graph, session.findings ?? []),
      },
      merged,
    };
  }
}

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

/** Each drawn box that holds tasks of a finding, with the worst severity among them and every message. */
export function boxProblems(
  merged: MergedStacks,
  graph: StackGraph,
  findings: readonly Finding[],
): BoxProblem[] {
  const byBox = new Map<string, BoxProblem>();
  for (const finding of findings) {
    for (const boxId of boxesOfTasks(merged, graph, finding.taskIds)) {
      const problem = byBox.get(boxId);
      if (!problem) byBox.set(boxId, { boxId, severity: finding.severity, messages: [finding.message] });
      else {
        problem.messages.push(finding.message);
        if (SEVERITY_RANK[finding.severity] < SEVERITY_RANK[problem.severity])
          problem.severity = finding.severity;
      }
    }
  }
  return [...byBox.values()].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}

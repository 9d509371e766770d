// Turns the sessions the Async Tasks view knows into what the webview shows: the chosen session's
// snapshot merged, folded and described, or a message saying why there is nothing to draw. Merging
// is cached per snapshot object, so expanding a "+N more" box only refolds.
import type { Snapshot } from '../snapshot/format';
import { chooseSession, type SessionEntry } from './chooseSession';
import { type CollapseOptions, collapseBranches } from './collapseBranches';
import { type MergedStacks, mergeStacks } from './mergeStacks';
import type { PictureState } from './messages';
import { ambiguousSessions, NO_SESSION, noSnapshot, noStacks, pictureNotes } from './pictureWording';

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
      },
      merged,
    };
  }
}

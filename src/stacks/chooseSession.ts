// Which debug session the picture shows: the one selected in VS Code (js-debug selects the child
// session that runs the program, or its launcher parent; either way the one of them that has a
// snapshot), else the only session that has a snapshot.
import type { Finding, Snapshot } from '../snapshot/format';

/** What the picture reads of a session in the Async Tasks view's API (`TasksViewApi.sessions()`). */
export interface SessionEntry {
  id: string;
  name: string;
  parentId?: string;
  stale: boolean;
  capturing?: boolean;
  error?: string;
  snapshot?: Snapshot;
  /** Why the program is stuck, as the Async Tasks view found it for this snapshot. */
  findings?: readonly Finding[];
}

export type SessionChoice =
  | { kind: 'session'; session: SessionEntry & { snapshot: Snapshot } }
  /** No snapshot (yet) for the session that would be shown. */
  | { kind: 'noSnapshot'; session: SessionEntry }
  | { kind: 'noSession' }
  /** Several sessions have snapshots and none is selected. */
  | { kind: 'ambiguous'; names: string[] };

const hasSnapshot = (session: SessionEntry): session is SessionEntry & { snapshot: Snapshot } =>
  session.snapshot !== undefined;

export function chooseSession(sessions: readonly SessionEntry[], activeSessionId?: string): SessionChoice {
  const active = sessions.find((session) => session.id === activeSessionId);
  if (active) {
    const family = [
      active,
      ...sessions.filter((session) => session.parentId === active.id),
      ...sessions.filter((session) => session.id === active.parentId),
    ];
    const withSnapshot = family.find(hasSnapshot);
    if (withSnapshot) return { kind: 'session', session: withSnapshot };
    // A launcher's snapshot-less state says less than its child's ("capturing", an error).
    const child = family.find(
      (session) => session.parentId === active.id && (session.capturing || session.error),
    );
    return { kind: 'noSnapshot', session: child ?? active };
  }
  const withSnapshots = sessions.filter(hasSnapshot);
  if (withSnapshots.length === 1) return { kind: 'session', session: withSnapshots[0] };
  if (withSnapshots.length > 1)
    return { kind: 'ambiguous', names: withSnapshots.map((session) => session.name) };
  const innermost = sessions.find((session) => !sessions.some((other) => other.parentId === session.id));
  return innermost ? { kind: 'noSnapshot', session: innermost } : { kind: 'noSession' };
}

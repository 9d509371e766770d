// Which messages a session's row shows, and where: about the session (unsupported, exited, taking a
// snapshot, failed, partial, the runtime's notes, waiting for a pause) above what keeps the program
// alive, and about its list (empty, filtered to nothing, nothing to compare yet) in place of groups.
import { isNarrowing, type TaskFilter } from '../taskFilter';
import { messages } from '../wording/viewWords';
import type { MessageRow, Row, SessionRow, Severity } from './rowTypes';

const SHOW_LOG = { command: 'asyncToolkit.showLog', title: 'Show Log' };
const CLEAR_FILTER = { command: 'asyncToolkit.clearTaskFilter', title: 'Clear Filter' };

function message(
  parent: Row,
  key: string,
  severity: Severity,
  text: string,
  extra?: Partial<MessageRow>,
): MessageRow {
  return {
    kind: 'message',
    id: `${parent.id}/message:${key}`,
    sessionId: parent.sessionId,
    parent,
    severity,
    text,
    ...extra,
  };
}

/** Messages about the session itself, shown first. */
export function statusMessages(row: SessionRow, mode: 'grouped' | 'tree'): MessageRow[] {
  const { session } = row;
  if (!session.sourceLabel)
    return [message(row, 'unsupported', 'info', messages.unsupported(session.debugType))];
  const result: MessageRow[] = [];
  if (session.status === 'exited')
    result.push(message(row, 'exited', 'info', messages.exited(session.receivedAt)));
  if (session.capturing) result.push(message(row, 'capturing', 'progress', messages.capturing));
  if (session.error) result.push(message(row, 'error', 'error', session.error, { action: SHOW_LOG }));
  if (session.snapshot?.error)
    result.push(message(row, 'partial', 'warning', session.snapshot.error, { action: SHOW_LOG }));
  for (const [index, note] of (session.snapshot?.notes ?? []).entries())
    result.push(message(row, `note-${index}`, 'info', note));
  if (!session.snapshot && !session.capturing && !session.error && session.status === 'running') {
    const text = session.capturesWhileRunning
      ? messages.runningCanRefresh
      : messages.runningPauseToSee(session.sourceLabel);
    result.push(message(row, 'waiting', 'info', text));
  }
  const truncated = session.snapshot?.truncated;
  if (truncated && mode === 'tree')
    result.push(
      message(row, 'truncated', 'info', messages.treeTruncated(truncated.sentTasks, truncated.totalTasks)),
    );
  return result;
}

/** The filter in force, with a way to clear it: in the tree, not only in the view's description, which a narrow side bar cuts off. */
export function filterMessages(row: SessionRow, filter: TaskFilter): MessageRow[] {
  if (!row.session.snapshot || !isNarrowing(filter)) return [];
  return [message(row, 'filtered', 'info', messages.filtered(filter), { action: CLEAR_FILTER })];
}

/** Messages in place of (or above) the session's groups. */
export function listMessages(
  row: SessionRow,
  view: { filter: TaskFilter; compare: boolean; mode: 'grouped' | 'tree'; groupCount: number },
): MessageRow[] {
  if (!row.session.snapshot) return [];
  if (view.groupCount === 0) {
    return isNarrowing(view.filter)
      ? [message(row, 'empty', 'info', messages.noMatch, { action: CLEAR_FILTER })]
      : [message(row, 'empty', 'info', messages.noTasks)];
  }
  if (view.mode === 'grouped' && view.compare && !row.session.previous)
    return [message(row, 'compare', 'info', messages.nothingToCompare)];
  return [];
}

// "Problems" at the top of a session: one row per finding, each expanding to the tasks it names; or,
// when the view looked and found nothing, a row that says so.
import type { Finding, Task } from '../../snapshot/format';
import { frameRows } from './frameRows';
import type { FindingRow, FindingsRow, Row, SessionRow, TaskRow } from './rowTypes';

export function findingsRow(parent: SessionRow, findings: Finding[], tasks: readonly Task[]): FindingsRow {
  const row: FindingsRow = {
    kind: 'findings',
    id: `${parent.id}/findings`,
    sessionId: parent.sessionId,
    parent,
    findings,
  };
  if (findings.length > 0) {
    const byId = new Map(tasks.map((task) => [task.id, task]));
    row.expand = () => findings.map((finding) => findingRow(row, finding, byId));
  }
  return row;
}

function findingRow(parent: FindingsRow, finding: Finding, byId: ReadonlyMap<string, Task>): FindingRow {
  const members = finding.taskIds.flatMap((id) => byId.get(id) ?? []);
  const row: FindingRow = {
    kind: 'finding',
    id: `${parent.id}/${finding.id}`,
    sessionId: parent.sessionId,
    parent,
    finding,
    members,
  };
  if (members.length > 0) row.expand = () => members.map((task) => memberRow(row, task));
  return row;
}

function memberRow(parent: FindingRow, task: Task): TaskRow {
  const session = sessionOf(parent);
  const row: TaskRow = {
    kind: 'task',
    id: `${parent.id}/task:${task.id}`,
    sessionId: parent.sessionId,
    parent,
    task,
    childCount: 0,
    stale: session?.session.stale ?? false,
  };
  // Where each member waits, frame by frame, as in its group.
  const stack = task.stackKind === 'suspended' ? task.stack : undefined;
  if (stack?.length) row.expand = () => frameRows(row, stack);
  return row;
}

function sessionOf(row: Row | undefined): SessionRow | undefined {
  let current = row;
  while (current && current.kind !== 'session') current = current.parent;
  return current;
}

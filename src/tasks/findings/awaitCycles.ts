// "Cycle": tasks that wait for each other. A pending task's parent is the task that awaits it (or the
// TaskGroup or nursery that waits for it), so a loop of parent links among pending tasks is a deadlock:
// none of them can finish before the next one does. One finding per loop, naming every member and the
// line where each waits. Linear in the number of tasks.
import type { Finding, Snapshot, Task } from '../../snapshot/format';
import { innermostUserFrame } from '../taskLocation';
import { siteText, taskLabel } from '../wording/taskWords';

export function findAwaitCycles(snapshot: Snapshot): Finding[] {
  const pending = new Map<string, Task>();
  for (const task of snapshot.tasks) if (task.state === 'pending') pending.set(task.id, task);
  // 0: not visited, 1: on the current path, 2: done.
  const mark = new Map<string, 1 | 2>();
  const findings: Finding[] = [];
  for (const start of pending.values()) {
    if (mark.has(start.id)) continue;
    const path: Task[] = [];
    let current: Task | undefined = start;
    while (current && !mark.has(current.id)) {
      mark.set(current.id, 1);
      path.push(current);
      current = current.parentId === null ? undefined : pending.get(current.parentId);
    }
    if (current && mark.get(current.id) === 1) {
      const members = path.slice(path.indexOf(current));
      findings.push(cycleFinding(members));
    }
    for (const task of path) mark.set(task.id, 2);
  }
  return findings;
}

function cycleFinding(members: Task[]): Finding {
  // The same loop found from another member gets the same id: start it at its smallest id.
  const ids = members.map((task) => task.id);
  const first = ids.indexOf([...ids].sort()[0]);
  const ordered = [...members.slice(first), ...members.slice(0, first)];
  const where = (task: Task) => {
    const frame = task.stack?.length ? innermostUserFrame(task.stack) : task.site;
    return frame ? ` (${siteText(frame)})` : '';
  };
  const names = ordered.map((task) => `${taskLabel(task)}${where(task)}`);
  const site = ordered[0].stack?.length ? innermostUserFrame(ordered[0].stack) : ordered[0].site;
  return {
    id: `cycle:${ordered.map((task) => task.id).join('>')}`,
    kind: 'cycle',
    severity: 'error',
    message:
      ordered.length === 1
        ? `${names[0]} waits for itself`
        : `${names.join(', ')} wait for each other: none can finish first`,
    taskIds: ordered.map((task) => task.id),
    ...(site ? { site } : {}),
  };
}

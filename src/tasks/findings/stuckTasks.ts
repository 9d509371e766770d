// "Stuck": tasks suspended at the same await longer than a limit. One finding per group of such tasks
// (twenty requests stuck at one query are one problem, not twenty), oldest first, saying what they wait
// on. A task's wait is its `waitingMs` where the runtime knows it, else its age.
import type { Finding, Snapshot, Task } from '../../snapshot/format';
import { formatAge } from '../wording/taskWords';

const waitOf = (task: Task): number | undefined => task.waitingMs ?? task.ageMs;

export function findStuckTasks(snapshot: Snapshot, limitMs: number): Finding[] {
  const byId = new Map(snapshot.tasks.map((task) => [task.id, task]));
  const findings: { finding: Finding; oldest: number }[] = [];
  const seen = new Set<string>();
  const groups = snapshot.groups ?? [
    { id: 'all', label: '', kind: 'type' as const, count: 0, taskIds: [...byId.keys()] },
  ];
  for (const group of groups) {
    const stuck: Task[] = [];
    for (const id of group.taskIds) {
      const task = byId.get(id);
      if (!task || seen.has(id) || task.internal || (task.state !== 'pending' && task.state !== 'running'))
        continue;
      seen.add(id);
      const wait = waitOf(task);
      if (wait !== undefined && wait >= limitMs && task.state === 'pending') stuck.push(task);
    }
    if (stuck.length === 0) continue;
    stuck.sort((a, b) => (waitOf(b) ?? 0) - (waitOf(a) ?? 0));
    const oldest = waitOf(stuck[0]) ?? 0;
    // The group's count covers tasks the source did not send; the oldest sent one speaks for them.
    const more = group.count > stuck.length && group.oldestAgeMs !== undefined ? group.count : stuck.length;
    const what = stuck[0].awaiting ?? group.awaiting ?? group.label;
    const who = more === 1 ? (stuck[0].name ? `“${stuck[0].name}”` : '1 task') : `${more} tasks`;
    const site = stuck[0].stack?.find((frame) => frame.origin === undefined) ?? stuck[0].site;
    findings.push({
      oldest,
      finding: {
        id: `stuck:${group.id}`,
        kind: 'stuck',
        severity: 'warning',
        message: `${who} waiting${what ? ` at ${what}` : ''} for over ${formatAge(limitMs)} (longest ${formatAge(oldest)})`,
        taskIds: stuck.map((task) => task.id),
        ...(site ? { site } : {}),
      },
    });
  }
  return findings.sort((a, b) => b.oldest - a.oldest).map(({ finding }) => finding);
}

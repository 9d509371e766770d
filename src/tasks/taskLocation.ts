import type { SourceLocation, Task } from '../snapshot/format';

/**
 * Where selecting a task takes the user: where it was created (Node), or, when that is unknown and
 * the runtime reports where the task is suspended (Python), that innermost frame.
 */
export function taskLocation(
  task: Task,
): { location: SourceLocation; kind: 'creation' | 'suspended' } | undefined {
  if (task.site) return { location: task.site, kind: 'creation' };
  const innermost = task.stackKind === 'suspended' ? task.stack?.[0] : undefined;
  return innermost ? { location: innermost, kind: 'suspended' } : undefined;
}

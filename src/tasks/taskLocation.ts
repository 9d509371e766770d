// Where selecting a task takes the user: where it waits now, in the program's own code, when the
// runtime says (Python tasks, Node operations: their suspended stack); else where it was created.
import type { SourceLocation, StackFrame, Task } from '../snapshot/format';

/** The innermost frame of the program's own code, else the innermost frame. */
export function innermostUserFrame(stack: readonly StackFrame[]): StackFrame | undefined {
  return stack.find((frame) => frame.origin === undefined) ?? stack[0];
}

export function taskLocation(
  task: Task,
): { location: SourceLocation; kind: 'creation' | 'suspended' } | undefined {
  const suspended =
    task.stackKind === 'suspended' && task.stack?.length ? innermostUserFrame(task.stack) : undefined;
  if (suspended) return { location: suspended, kind: 'suspended' };
  if (task.site) return { location: task.site, kind: 'creation' };
  return undefined;
}

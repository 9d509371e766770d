// A suspended task's stack as rows, innermost first, then who started it: each frame opens its own line.
// The program's own frames read as they are; library and runtime frames stay visible but are marked, so
// the chain from the program's call down to the runtime's primitive can be followed without leaving the
// tree.
import type { StackFrame } from '../../snapshot/format';
import type { FrameRow, TaskRow } from './rowTypes';

export function frameRows(
  parent: TaskRow,
  stack: readonly StackFrame[],
  startedBy: readonly StackFrame[] = [],
): FrameRow[] {
  const rows: FrameRow[] = stack.map((frame, index) => ({
    kind: 'frame',
    id: `${parent.id}/frame:${index}`,
    sessionId: parent.sessionId,
    parent,
    frame,
    stale: parent.stale,
  }));
  // Then who started it (a Node operation's callers when its outermost call was made): the waits above
  // say where it is, these where it came from.
  for (const [index, frame] of startedBy.entries())
    rows.push({
      kind: 'frame',
      id: `${parent.id}/startedBy:${index}`,
      sessionId: parent.sessionId,
      parent,
      frame,
      stale: parent.stale,
      starter: true,
    });
  return rows;
}

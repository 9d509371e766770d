// A suspended task's stack as rows, innermost first: each frame opens its own line. The program's own
// frames read as they are; library and runtime frames stay visible but are marked, so the chain from
// the program's call down to the runtime's primitive can be followed without leaving the tree.
import type { StackFrame } from '../../snapshot/format';
import type { FrameRow, TaskRow } from './rowTypes';

export function frameRows(parent: TaskRow, stack: readonly StackFrame[]): FrameRow[] {
  return stack.map((frame, index) => ({
    kind: 'frame',
    id: `${parent.id}/frame:${index}`,
    sessionId: parent.sessionId,
    parent,
    frame,
    stale: parent.stale,
  }));
}

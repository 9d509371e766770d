// The hover (and keyboard focus) card of a box: its tasks with their ages and what they await, and
// every frame when the box elides some.

import type { BoxProblem } from '../messages';
import { baseName, formatAge, MAX_FRAMES_SHOWN } from '../picture/boxLines';
import type { StackNode } from '../stackGraph';

function add(parent: HTMLElement, tag: string, text: string, className?: string): HTMLElement {
  const made = document.createElement(tag);
  made.textContent = text;
  if (className) made.className = className;
  parent.appendChild(made);
  return made;
}

export function fillTooltip(tooltip: HTMLElement, node: StackNode, problem?: BoxProblem): void {
  tooltip.replaceChildren();
  for (const message of problem?.messages ?? []) add(tooltip, 'div', message, `problem ${problem?.severity}`);
  const noun = node.count === 1 ? 'task' : 'tasks';
  const head =
    node.kind === 'group'
      ? `${node.count} ${node.groupType ?? 'scope'}${node.count === 1 ? '' : 's'} with ${node.childTasks ?? 0} child tasks`
      : node.kind === 'more'
        ? `${node.count} ${noun} in ${node.hiddenBranches} folded branches`
        : `${node.count} ${noun}`;
  add(
    tooltip,
    'div',
    head + (node.oldestAgeMs !== undefined ? ` · oldest ${formatAge(node.oldestAgeMs)}` : ''),
    'head',
  );
  if (node.kind === 'frames' && node.frames.length > MAX_FRAMES_SHOWN) {
    const frames = add(tooltip, 'ul', '', 'code');
    for (const frame of node.frames)
      add(frames, 'li', `${frame.functionName}  ${baseName(frame.file)}:${frame.line}`);
  }
  if (node.tasks.length) {
    const list = add(tooltip, 'ul', '');
    for (const task of node.tasks) {
      const item = add(list, 'li', task.name ?? task.id);
      const parts = [
        task.ageMs !== undefined ? formatAge(task.ageMs) : undefined,
        task.state === 'running' ? 'running' : undefined,
        task.awaiting,
      ].filter(Boolean);
      if (parts.length) add(item, 'span', ` · ${parts.join(' · ')}`, 'dim');
    }
    if (node.count > node.tasks.length && node.kind !== 'group')
      add(tooltip, 'div', `… and ${node.count - node.tasks.length} more`, 'dim');
  }
  if (node.kind === 'frames') add(tooltip, 'div', 'Click a line (or press Enter) to open it.', 'dim');
}

/** Puts the card near a point, inside the window. */
export function placeTooltip(tooltip: HTMLElement, at: { x: number; y: number }): void {
  tooltip.hidden = false;
  const { width, height } = tooltip.getBoundingClientRect();
  const left = Math.min(at.x + 14, window.innerWidth - width - 4);
  const top = at.y + 16 + height > window.innerHeight ? at.y - height - 10 : at.y + 16;
  tooltip.style.left = `${Math.max(4, left)}px`;
  tooltip.style.top = `${Math.max(4, top)}px`;
}

// Where the arrow keys go from a box: up to its caller, down to its biggest callee, left and right to
// the nearest box on the same row. Pure, over the laid-out boxes.
import type { PictureLayout } from './layoutPicture';

export type Direction = 'up' | 'down' | 'left' | 'right';

export function neighbour(layout: PictureLayout, fromId: string, direction: Direction): string | undefined {
  const from = layout.boxes.find((box) => box.node.id === fromId);
  if (!from) return layout.boxes[0]?.node.id;
  if (direction === 'up') return layout.edges.find((edge) => edge.to === fromId)?.from;
  if (direction === 'down') {
    // Edges come biggest branch first (the merge sorts them): the first is the main continuation.
    return layout.edges.find((edge) => edge.from === fromId)?.to;
  }
  const centre = (box: { x: number; width: number }) => box.x + box.width / 2;
  const middle = (box: { y: number; height: number }) => box.y + box.height / 2;
  let best: { id: string; distance: number } | undefined;
  for (const box of layout.boxes) {
    if (box === from) continue;
    const dx = centre(box) - centre(from);
    if (direction === 'left' ? dx >= 0 : dx <= 0) continue;
    // Same row first; otherwise the nearest box on that side, rows weighing more than columns.
    const distance = Math.abs(dx) + Math.abs(middle(box) - middle(from)) * 4;
    if (!best || distance < best.distance) best = { id: box.node.id, distance };
  }
  return best?.id;
}

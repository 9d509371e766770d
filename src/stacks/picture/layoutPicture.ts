// Places the picture's boxes with dagre (layered layout, callers above callees). Chosen over elkjs by
// measurement (BENCHMARKS.md, "Async Stacks"): a thirtieth of the bundle, synchronous, and faster
// at the few hundred boxes the picture draws after folding. Pure: box sizes come from the lines and
// a character width measured by the caller.
import dagre from '@dagrejs/dagre';
import type { StackGraph, StackNode } from '../stackGraph';
import { type BoxLine, boxLines, lineChars } from './boxLines';

export const LINE_HEIGHT = 18;
export const PADDING = 8;
const MIN_WIDTH = 150;

export interface PlacedBox {
  node: StackNode;
  lines: BoxLine[];
  /** Top-left corner and size. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  kind: string;
  points: Array<{ x: number; y: number }>;
}

export interface PictureLayout {
  boxes: PlacedBox[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

export function layoutPicture(graph: StackGraph, charWidth: number): PictureLayout {
  const layout = new dagre.graphlib.Graph();
  layout.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 36, marginx: 16, marginy: 16 });
  layout.setDefaultEdgeLabel(() => ({}));
  const sized = new Map<string, { node: StackNode; lines: BoxLine[]; width: number; height: number }>();
  for (const node of graph.nodes) {
    const lines = boxLines(node);
    const chars = lines.reduce((most, line) => Math.max(most, lineChars(line)), 0);
    const width = Math.max(MIN_WIDTH, Math.ceil(chars * charWidth + PADDING * 2));
    const height = lines.length * LINE_HEIGHT + PADDING * 2 - 4;
    sized.set(node.id, { node, lines, width, height });
    layout.setNode(node.id, { width, height });
  }
  for (const edge of graph.edges) layout.setEdge(edge.from, edge.to, { kind: edge.kind });
  dagre.layout(layout);
  const boxes: PlacedBox[] = [];
  for (const [id, box] of sized) {
    const placed = layout.node(id);
    boxes.push({ ...box, x: (placed.x ?? 0) - box.width / 2, y: (placed.y ?? 0) - box.height / 2 });
  }
  const edges: PlacedEdge[] = graph.edges.map((edge) => ({
    ...edge,
    points: layout.edge(edge.from, edge.to)?.points ?? [],
  }));
  const size = layout.graph();
  return { boxes, edges, width: size.width ?? 0, height: size.height ?? 0 };
}

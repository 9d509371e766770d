// Draws a laid-out picture as SVG elements: boxes (focusable, one row per line), and edges with
// arrows. Only classes and geometry attributes are set: colours come from the style sheet, which
// follows VS Code's theme (and is copied into exported files).
import { boxLabel, cutToFit, type LineKind, MAX_LINE_CHARS } from '../picture/boxLines';
import type { PictureLayout, PlacedBox } from '../picture/layoutPicture';
import { LINE_HEIGHT, PADDING } from '../picture/layoutPicture';

const SVG = 'http://www.w3.org/2000/svg';

function element<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number> = {},
  parent?: Element,
): SVGElementTagNameMap[K] {
  const made = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) made.setAttribute(key, String(value));
  parent?.appendChild(made);
  return made;
}

const TEXT_CLASS: Record<LineKind, string> = {
  header: 'header',
  frame: 'fn',
  elided: 'elided',
  await: 'await',
  kind: 'kind',
};

function drawBox(box: PlacedBox, parent: Element): SVGGElement {
  const group = element(
    'g',
    {
      class: `box ${box.node.kind}`,
      transform: `translate(${box.x},${box.y})`,
      tabindex: -1,
      role: 'button',
      'data-id': box.node.id,
      'aria-label': boxLabel(box.node),
    },
    parent,
  );
  element('rect', { class: 'frame', width: box.width, height: box.height, rx: 4 }, group);
  box.lines.forEach((line, index) => {
    const top = PADDING + index * LINE_HEIGHT - 2;
    const baseline = top + LINE_HEIGHT - 5;
    const row = element('g', { class: line.frameIndex === undefined ? 'line' : 'row' }, group);
    if (line.frameIndex !== undefined) {
      row.setAttribute('data-frame', String(line.frameIndex));
      element('rect', { class: 'hit', x: 2, y: top, width: box.width - 4, height: LINE_HEIGHT }, row);
    }
    let left = PADDING;
    if (line.badge) {
      // The count leads, as a badge.
      const badgeWidth = Math.max(22, line.badge.length * 7 + 10);
      const badge = element('g', { class: 'badge' }, row);
      element('rect', { x: left - 2, y: top + 2, width: badgeWidth, height: LINE_HEIGHT - 4, rx: 7 }, badge);
      element('text', { x: left - 2 + badgeWidth / 2, y: baseline }, badge).textContent = line.badge;
      left += badgeWidth + 4;
    }
    const room = line.detail ? MAX_LINE_CHARS - Math.min(line.detail.length, 24) - 2 : MAX_LINE_CHARS;
    element('text', { class: TEXT_CLASS[line.kind], x: left, y: baseline }, row).textContent = cutToFit(
      line.text,
      room,
    );
    if (line.detail) {
      // The file and line, right-aligned and dimmed: the function name is what people scan for.
      element(
        'text',
        { class: 'loc', x: box.width - PADDING, y: baseline, 'text-anchor': 'end' },
        row,
      ).textContent = cutToFit(line.detail, MAX_LINE_CHARS - Math.min(line.text.length, room) - 2);
    }
  });
  return group;
}

function edgePath(points: ReadonlyArray<{ x: number; y: number }>): string {
  if (!points.length) return '';
  return points
    .map((point, index) => `${index ? 'L' : 'M'}${point.x.toFixed(1)},${point.y.toFixed(1)}`)
    .join(' ');
}

/** Replaces the contents of `viewport` with the picture; returns each box's element by id. */
export function drawPicture(
  layout: PictureLayout,
  svg: SVGSVGElement,
  viewport: SVGGElement,
): Map<string, SVGGElement> {
  viewport.replaceChildren();
  if (!svg.querySelector('defs')) {
    const defs = element('defs', {}, svg);
    const marker = element(
      'marker',
      {
        id: 'arrow',
        viewBox: '0 0 10 10',
        refX: 9,
        refY: 5,
        markerWidth: 7,
        markerHeight: 7,
        orient: 'auto-start-reverse',
      },
      defs,
    );
    element('path', { class: 'arrow', d: 'M0,0 L10,5 L0,10 z' }, marker);
  }
  const edges = element('g', { class: 'edges' }, viewport);
  for (const edge of layout.edges)
    element(
      'path',
      {
        class: `edge ${edge.kind}`,
        d: edgePath(edge.points),
        'marker-end': 'url(#arrow)',
        'data-from': edge.from,
        'data-to': edge.to,
      },
      edges,
    );
  const boxes = element('g', { class: 'boxes' }, viewport);
  const byId = new Map<string, SVGGElement>();
  for (const box of layout.boxes) byId.set(box.node.id, drawBox(box, boxes));
  return byId;
}

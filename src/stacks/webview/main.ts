// The Async Stacks webview: receives pictures from the panel, lays them out, draws them, and handles
// search, zoom and pan, the keyboard, the hover card and export. It can neither open files nor write
// them: it asks the panel. What the user did (expanded boxes, zoom, search, focus) is kept with
// `setState`, so the picture comes back the same when the panel is hidden and shown again.
import type { FromWebview, PictureState, ToWebview } from '../messages';
import { searchableText } from '../picture/boxLines';
import { type Direction, neighbour } from '../picture/boxNavigation';
import { layoutPicture, type PictureLayout } from '../picture/layoutPicture';
import type { StackNode } from '../stackGraph';
import { drawPicture } from './drawPicture';
import { exportSvg } from './exportSvg';
import { PanZoom, type ViewTransform } from './panZoom';
import { markProblems } from './problemMarks';
import { describeStatus } from './statusLine';
import { fillTooltip, placeTooltip } from './tooltip';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  expanded: string[];
  search: string;
  focusedId?: string;
  /** The zoom and pan, for the session it was set on (another session's picture is fitted anew). */
  view?: { sessionId: string; transform: ViewTransform };
}

const vscode = acquireVsCodeApi();
const state: SavedState = { expanded: [], search: '', ...vscode.getState() };
const save = () => vscode.setState(state);
const post = (message: FromWebview) => vscode.postMessage(message);

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const canvas = byId<HTMLDivElement>('canvas');
const statusLine = byId<HTMLDivElement>('status');
const messageBox = byId<HTMLDivElement>('message');
const tooltip = byId<HTMLDivElement>('tooltip');
const search = byId<HTMLInputElement>('search');
const matchCount = byId<HTMLSpanElement>('matches');

const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
svg.id = 'picture';
svg.setAttribute('width', '100%');
svg.setAttribute('height', '100%');
const viewport = document.createElementNS('http://www.w3.org/2000/svg', 'g');
viewport.id = 'viewport';
svg.appendChild(viewport);
canvas.appendChild(svg);

let picture: Extract<PictureState, { kind: 'graph' }> | undefined;
let layout: PictureLayout | undefined;
let boxElements = new Map<string, SVGGElement>();
let matches: string[] = [];
let matchIndex = -1;

const panZoom = new PanZoom(canvas, viewport, (transform) => {
  if (picture) {
    state.view = { sessionId: picture.sessionId, transform };
    save();
  }
});

/** The editor font's character width: boxes are sized in characters. */
function measureCharWidth(): number {
  const context = document.createElement('canvas').getContext('2d');
  const family =
    getComputedStyle(document.body).getPropertyValue('--vscode-editor-font-family').trim() || 'monospace';
  if (!context) return 7.2;
  context.font = `12px ${family}`;
  return context.measureText('0123456789abcdefghij').width / 20 || 7.2;
}
const charWidth = measureCharWidth();

function placeCanvas(): void {
  const top = statusLine.getBoundingClientRect().bottom;
  canvas.style.top = `${Math.ceil(top)}px`;
}

function showMessage(title: string, detail: string): void {
  picture = undefined;
  layout = undefined;
  boxElements = new Map();
  viewport.replaceChildren();
  document.body.classList.remove('stale');
  messageBox.hidden = false;
  (messageBox.querySelector('h2') as HTMLElement).textContent = title;
  (messageBox.querySelector('p') as HTMLElement).textContent = detail;
  statusLine.replaceChildren();
  canvas.hidden = true;
  document.body.dataset.picture = 'message';
}

/** The problem a box holds tasks of, if any. */
function problemOf(id: string) {
  return picture?.problems.find((problem) => problem.boxId === id);
}

function showPicture(shown: Extract<PictureState, { kind: 'graph' }>): void {
  const sameSession = picture?.sessionId === shown.sessionId;
  const restoring = !picture && state.view?.sessionId === shown.sessionId;
  picture = shown;
  messageBox.hidden = true;
  canvas.hidden = false;
  document.body.classList.toggle('stale', shown.stale);
  describeStatus(statusLine, shown);
  placeCanvas();
  layout = layoutPicture(shown.graph, charWidth);
  boxElements = drawPicture(layout, svg, viewport);
  markProblems(boxElements, shown.problems);
  panZoom.setContentSize(layout.width, layout.height);
  if (restoring && state.view) panZoom.apply(state.view.transform);
  else if (!sameSession) panZoom.openingView(layout.boxes[0]);
  const focused =
    state.focusedId && boxElements.get(state.focusedId) ? state.focusedId : layout.boxes[0]?.node.id;
  if (focused) setCurrent(focused, false);
  applySearch(false);
  document.body.dataset.picture = 'graph';
}

function nodeOf(id: string): StackNode | undefined {
  return layout?.boxes.find((box) => box.node.id === id)?.node;
}

/** Roving focus: one box is in the tab order, the arrows move it. */
function setCurrent(id: string, focus: boolean): void {
  for (const element of boxElements.values()) element.setAttribute('tabindex', '-1');
  const element = boxElements.get(id);
  if (!element) return;
  element.setAttribute('tabindex', '0');
  state.focusedId = id;
  save();
  if (focus) {
    element.focus({ preventScroll: true });
    const box = layout?.boxes.find((placed) => placed.node.id === id);
    if (box) panZoom.reveal(box);
  }
}

/** Enter or a click on a box: open its line (its innermost frame, or the frame clicked) or unfold it. */
function activate(id: string, frameIndex?: number): void {
  const node = nodeOf(id);
  if (!node) return;
  if (node.kind === 'more') {
    if (!state.expanded.includes(id)) state.expanded.push(id);
    save();
    post({ type: 'expanded', expanded: state.expanded });
    return;
  }
  if (node.kind === 'frames')
    post({ type: 'open', nodeId: id, frameIndex: frameIndex ?? node.frames.length - 1 });
}

function applySearch(moveToFirst: boolean): void {
  const query = state.search.trim().toLowerCase();
  search.value = state.search;
  matches = [];
  for (const [id, element] of boxElements) {
    const node = nodeOf(id);
    const hit = !!query && !!node && searchableText(node).includes(query);
    element.classList.toggle('match', hit);
    if (hit) matches.push(id);
  }
  svg.classList.toggle('searching', !!query);
  matchIndex = moveToFirst && matches.length ? 0 : -1;
  matchCount.textContent = query ? `${matches.length} ${matches.length === 1 ? 'box' : 'boxes'}` : '';
  if (moveToFirst && matches.length) setCurrent(matches[0], false);
}

function nextMatch(step: number): void {
  if (!matches.length) return;
  matchIndex = (matchIndex + step + matches.length) % matches.length;
  matchCount.textContent = `${matchIndex + 1} of ${matches.length}`;
  const id = matches[matchIndex];
  setCurrent(id, false);
  const box = layout?.boxes.find((placed) => placed.node.id === id);
  if (box) panZoom.reveal(box);
}

function hideTooltip(): void {
  tooltip.hidden = true;
}

function boxIdAt(target: EventTarget | null): string | undefined {
  return (target as Element | null)?.closest?.('.box')?.getAttribute('data-id') ?? undefined;
}

// Mouse: click opens (a frame line opens that frame), hover shows the card.
canvas.addEventListener('click', (event) => {
  if (panZoom.dragged) return;
  const id = boxIdAt(event.target);
  if (!id) return;
  const frame = (event.target as Element).closest('[data-frame]')?.getAttribute('data-frame');
  setCurrent(id, true);
  activate(id, frame === null || frame === undefined ? undefined : Number(frame));
});
canvas.addEventListener('mousemove', (event) => {
  const id = boxIdAt(event.target);
  const node = id ? nodeOf(id) : undefined;
  if (!id || !node) return hideTooltip();
  if (tooltip.dataset.id !== id) {
    fillTooltip(tooltip, node, problemOf(id));
    tooltip.dataset.id = id;
  }
  placeTooltip(tooltip, { x: event.clientX, y: event.clientY });
});
canvas.addEventListener('mouseleave', hideTooltip);
canvas.addEventListener('focusin', (event) => {
  const id = boxIdAt(event.target);
  const node = id ? nodeOf(id) : undefined;
  if (!id || !node) return;
  fillTooltip(tooltip, node, problemOf(id));
  tooltip.dataset.id = id;
  const rect = (event.target as Element).getBoundingClientRect();
  placeTooltip(tooltip, { x: rect.left, y: rect.bottom });
});
canvas.addEventListener('focusout', hideTooltip);

// Keyboard: arrows between boxes, Enter opens, + and - zoom, Home or 0 fits, / searches.
const ARROWS: Record<string, Direction> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
};
canvas.addEventListener('keydown', (event) => {
  if (!layout) return;
  const current = boxIdAt(event.target) ?? state.focusedId;
  if (event.key in ARROWS) {
    event.preventDefault();
    const next = current ? neighbour(layout, current, ARROWS[event.key]) : layout.boxes[0]?.node.id;
    if (next) setCurrent(next, true);
  } else if ((event.key === 'Enter' || event.key === ' ') && current) {
    event.preventDefault();
    activate(current);
  } else if (event.key === '+' || event.key === '=') panZoom.zoomBy(1.25);
  else if (event.key === '-') panZoom.zoomBy(0.8);
  else if (event.key === 'Home' || event.key === '0') panZoom.fit();
  else if (event.key === 'Escape') hideTooltip();
  else if (event.key === '/' || (event.key === 'f' && (event.ctrlKey || event.metaKey))) {
    event.preventDefault();
    search.focus();
  }
});

search.addEventListener('input', () => {
  state.search = search.value;
  save();
  applySearch(true);
  if (matches.length) nextMatch(0);
});
search.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') {
    event.preventDefault();
    nextMatch(event.shiftKey ? -1 : 1);
    const id = matches[matchIndex];
    if (id && event.altKey) activate(id);
  } else if (event.key === 'Escape') {
    state.search = '';
    save();
    applySearch(false);
  } else if (event.key === 'ArrowDown' && state.focusedId) {
    event.preventDefault();
    setCurrent(state.focusedId, true);
  }
});

byId('fit').addEventListener('click', () => panZoom.fit());
byId('zoomIn').addEventListener('click', () => panZoom.zoomBy(1.25));
byId('zoomOut').addEventListener('click', () => panZoom.zoomBy(0.8));
byId('foldAll').addEventListener('click', () => {
  state.expanded = [];
  save();
  post({ type: 'expanded', expanded: [] });
});
byId('export').addEventListener('click', () => {
  if (!picture || !layout) return;
  const css = document.getElementById('picture-styles')?.textContent ?? '';
  const title = `Async Stacks of ${picture.sessionName}, ${new Date(picture.takenAt).toLocaleString()}`;
  const name = `async-stacks-${picture.sessionName.replace(/\s*\[.*$/, '')}`;
  post({ type: 'export', svg: exportSvg(svg, layout, css, title), suggestedName: name });
});

window.addEventListener('resize', () => {
  placeCanvas();
});

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (message?.type !== 'picture') return;
  const shown = message.picture;
  if (shown.kind === 'message') showMessage(shown.title, shown.detail);
  else showPicture(shown);
});

post({ type: 'ready', expanded: state.expanded });

// What a box of the picture says, line by line, before anything is drawn: the layout sizes boxes
// from these lines and the drawing writes them. Pure (no DOM), so tests read exactly what users see.
import type { StackNode } from '../stackGraph';

export type LineKind = 'header' | 'frame' | 'elided' | 'await' | 'kind';

export interface BoxLine {
  kind: LineKind;
  /** The main text (function name, awaiting text, …). */
  text: string;
  /** Dimmed text after it: a frame's file and line. */
  detail?: string;
  /** Header lines: the count, drawn as a badge before the text. */
  badge?: string;
  /** For frame lines: the index into the box's frames, so a click opens that frame. */
  frameIndex?: number;
}

/** Longest line, in characters, before it is cut with an ellipsis. */
export const MAX_LINE_CHARS = 48;
/** Frames shown in a box before the middle ones are elided (they stay in the hover). */
export const MAX_FRAMES_SHOWN = 7;
const AWAITING_SHOWN = 3;

export function formatAge(ageMs: number): string {
  if (ageMs < 1000) return `${Math.round(ageMs)} ms`;
  const seconds = ageMs / 1000;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const minutes = seconds / 60;
  if (minutes < 60) return `${Math.floor(minutes)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${Math.round(minutes % 60)} min`;
}

export function baseName(file: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return cut === -1 ? file : file.slice(cut + 1);
}

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count.toLocaleString('en')} ${count === 1 ? one : many}`;

/** Cuts text to the characters left on a line. */
export function cutToFit(text: string, room: number): string {
  if (text.length <= room) return text;
  return room <= 1 ? '…' : `${text.slice(0, room - 1)}…`;
}

function headerOf(node: StackNode): BoxLine {
  const age = node.oldestAgeMs !== undefined ? ` · oldest ${formatAge(node.oldestAgeMs)}` : '';
  const count = node.count.toLocaleString('en');
  switch (node.kind) {
    case 'more':
      return {
        kind: 'header',
        badge: `+${count}`,
        text: `more ${node.count === 1 ? 'task' : 'tasks'} · ${plural(node.hiddenBranches ?? 0, 'branch', 'branches')}${age}`,
      };
    case 'group':
      return {
        kind: 'header',
        text: `${node.groupType ?? 'Scope'}${node.count > 1 ? ` ×${node.count}` : ''} · ${plural(node.childTasks ?? 0, 'task')}`,
      };
    default:
      return { kind: 'header', badge: count, text: `${node.count === 1 ? 'task' : 'tasks'}${age}` };
  }
}

export function boxLines(node: StackNode): BoxLine[] {
  const lines: BoxLine[] = [headerOf(node)];
  if (node.kind === 'more') {
    lines.push({ kind: 'kind', text: 'rare branches folded: Enter or click to show' });
    return lines;
  }
  if (node.kind === 'group') {
    lines.push({
      kind: 'kind',
      text:
        node.groupType === 'Nursery' ? 'trio nursery: its child tasks below' : 'TaskGroup: its tasks below',
    });
    return lines;
  }
  const frames = node.frames;
  const frameLine = (index: number): BoxLine => {
    const frame = frames[index];
    return {
      kind: 'frame',
      text: frame.functionName,
      detail: `${baseName(frame.file)}:${frame.line}`,
      frameIndex: index,
    };
  };
  if (frames.length <= MAX_FRAMES_SHOWN) {
    for (let index = 0; index < frames.length; index++) lines.push(frameLine(index));
  } else {
    // The caller's first frames say where the work comes from, the last ones where it is now.
    const head = 2;
    const tail = MAX_FRAMES_SHOWN - head - 1;
    for (let index = 0; index < head; index++) lines.push(frameLine(index));
    lines.push({ kind: 'elided', text: `⋯ ${frames.length - head - tail} more frames (hover to list)` });
    for (let index = frames.length - tail; index < frames.length; index++) lines.push(frameLine(index));
  }
  const awaiting = node.awaiting;
  for (const entry of awaiting.slice(0, AWAITING_SHOWN)) {
    const share = node.count > 1 || entry.count > 1 ? ` ×${entry.count.toLocaleString('en')}` : '';
    lines.push({ kind: 'await', text: `awaits ${entry.text}${share}` });
  }
  if (awaiting.length > AWAITING_SHOWN)
    lines.push({ kind: 'await', text: `and ${plural(awaiting.length - AWAITING_SHOWN, 'other wait')}` });
  return lines;
}

/** The width of a line in characters, as drawn (badge, text, two spaces, detail), after cutting. */
export function lineChars(line: BoxLine): number {
  if (line.badge) return line.badge.length + 3 + Math.min(line.text.length, MAX_LINE_CHARS);
  const text = Math.min(line.text.length, MAX_LINE_CHARS);
  if (!line.detail) return text;
  return Math.min(MAX_LINE_CHARS, text + 2 + line.detail.length);
}

/** What a screen reader says for a box. */
export function boxLabel(node: StackNode): string {
  const lines = boxLines(node);
  const parts = [[lines[0].badge, lines[0].text].filter(Boolean).join(' ')];
  if (node.kind === 'frames') {
    parts.push(
      node.frames
        .map((frame) => `${frame.functionName} at ${baseName(frame.file)} line ${frame.line}`)
        .join(', then '),
    );
    if (node.awaiting.length)
      parts.push(`awaiting ${node.awaiting.map((entry) => `${entry.text} (${entry.count})`).join(', ')}`);
  } else parts.push(lines[1].text);
  return parts.join('. ');
}

/** The text search looks in: function names, files, awaiting texts, and what a "+N more" hides. */
export function searchableText(node: StackNode): string {
  const parts: string[] = [];
  for (const frame of node.frames) parts.push(frame.functionName, `${baseName(frame.file)}:${frame.line}`);
  for (const entry of node.awaiting) parts.push(entry.text);
  if (node.groupType) parts.push(node.groupType);
  if (node.hiddenNames) parts.push(...node.hiddenNames);
  return parts.join('\n').toLowerCase();
}

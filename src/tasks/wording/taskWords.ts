// The words for tasks: their labels, descriptions, ages, sites, stacks and details. With viewWords.ts,
// every sentence the Async Tasks view shows, in one folder: pure text, unit-tested, so that the tree
// items stay a translation. A leaf: it imports the snapshot's types and nothing of the view.
import type { SourceLocation, StackFrame, Task, TaskState } from '../../snapshot/format';

/** The last segment of a path or URL: `/app/src/api.ts` → `api.ts`; `node:internal/timers` stays whole. */
export function shortFileName(file: string): string {
  if (file.startsWith('node:')) return file;
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return cut === -1 ? file : file.slice(cut + 1);
}

/** `api.ts:42` */
export function siteText(site: SourceLocation): string {
  return `${shortFileName(site.file)}:${site.line}`;
}

/** "fetchUser — api.ts:42", "within fetchUser — api.ts:42" for an inherited site, "api.ts:42" for anonymous code. */
export function siteLabel(site: SourceLocation, inherited = false): string {
  const where = siteText(site);
  if (!site.functionName) return inherited ? `within ${where}` : where;
  return `${inherited ? 'within ' : ''}${site.functionName} — ${where}`;
}

/** 850 ms, 3.4 s, 2 min 5 s, 1 h 3 min. */
export function formatAge(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** 09:41:07 in the extension host's local time. */
export function formatClock(epochMs: number): string {
  const date = new Date(epochMs);
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
}

/**
 * How many tasks, and in which states when they differ: "40 tasks", "300 pending · 17 resolved". A
 * view of pending work does not say "pending" of every group, and a label that already counts
 * ("gather() — 2 of 3 pending") is not followed by a second "pending" count.
 */
export function describeStates(states: Partial<Record<TaskState, number>>, total: number): string {
  const parts = Object.entries(states)
    .filter(([, count]) => (count ?? 0) > 0)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([state, count]) => `${count} ${state}`);
  return parts.length > 1 ? parts.join(' · ') : countOf(total, 'task');
}

/** What a task is called in a tree row: its name, the async function it belongs to, or its type. */
export function taskLabel(task: Task): string {
  return task.name ?? task.site?.functionName ?? task.type;
}

/** The kinds of task a view of pending work is about: their type and a pending state go without saying. */
const ORDINARY_TYPES: ReadonlySet<string> = new Set(['Task', 'Operation']);

/**
 * What a task row says after its name, what matters first: "awaiting Lock.acquire() · pipeline.py:17"
 * for a Python task, "41 s · waiting 12 s · socket read …" for an operation, "2.1 s · 1 of 2 in line ·
 * app.js:24" for one waiting in a pool or queue, "PROMISE · pending · 3.4 s"
 * for one of an operation's parts. `shownAbove` is what the row's group already says it awaits: of a
 * wait that says more than its group (`pg pool.query() — waiting for a client (…)` under `pg
 * pool.query() — pool of 2: …`) the row says only what follows the call they share, so that what tells
 * the row apart comes before the side bar cuts it.
 */
export function describeTask(task: Task, shownAbove?: string): string {
  const ordinary = ORDINARY_TYPES.has(task.type);
  const parts: string[] = [];
  if (!ordinary) parts.push(task.type);
  if (!ordinary || task.state !== 'pending') parts.push(task.state);
  if (task.ageMs !== undefined) parts.push(formatAge(task.ageMs));
  // Only when this wait began well after the operation: "799 ms · waiting 797 ms" says nothing.
  if (task.waitingMs !== undefined && (task.ageMs === undefined || waitedApart(task.ageMs, task.waitingMs)))
    parts.push(`waiting ${formatAge(task.waitingMs)}`);
  // Which of the waits in one pool or queue is served next tells them apart where nothing else does.
  const place = task.details?.placeInLine;
  if (typeof place === 'string') parts.push(`${place} in line`);
  if (task.awaiting && task.awaiting !== shownAbove) {
    const own = afterSharedCall(task.awaiting, shownAbove);
    parts.push(own ?? `awaiting ${task.awaiting}`);
  }
  const where =
    task.stackKind === 'suspended' && task.stack?.length ? innermostOwnFrame(task.stack) : undefined;
  if (where) parts.push(siteText(where));
  else if (task.site && task.name && !task.awaiting) parts.push(siteText(task.site));
  return parts.join(' · ');
}

/** The current wait began at least 100 ms, and a tenth of the operation's age, after the operation. */
function waitedApart(ageMs: number, waitingMs: number): boolean {
  return ageMs - waitingMs >= Math.max(100, ageMs / 10);
}

/** `waiting for a client (…)` of `pg pool.query() — waiting …` under `pg pool.query() — pool …`. */
function afterSharedCall(awaiting: string, shownAbove: string | undefined): string | undefined {
  if (shownAbove === undefined) return undefined;
  const cut = awaiting.indexOf(' — ');
  if (cut <= 0 || !shownAbove.startsWith(awaiting.slice(0, cut + 3))) return undefined;
  return awaiting.slice(cut + 3);
}

/** Where a suspended task waits in the program's own code (the view opens the same line). */
function innermostOwnFrame(stack: readonly StackFrame[]): StackFrame | undefined {
  return stack.find((frame) => frame.origin === undefined);
}

/** "1 child", "3 tasks": a count with its noun in the right number. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** A task row's description, with how many tasks hang below it in the parent tree. */
export function describeTaskRow(task: Task, childCount: number, shownAbove?: string): string {
  const described = describeTask(task, shownAbove);
  return childCount > 0 ? `${described} · ${countOf(childCount, 'child', 'children')}` : described;
}

/** What the runtimes put in `details`, said in words; keys not listed read as their words ("wakesIn" → "Wakes in"). */
const DETAIL_WORDS: Record<string, string> = {
  keepsEventLoopAlive: 'Keeps the program alive',
  createdBeforeAgent: 'Created before the agent loaded',
  createdWhileTrackingPaused: 'Created while tracking was paused',
  parentLink: 'Linked to its parent by',
  cancelCalled: 'Its cancel scope was cancelled',
  cancelling: 'Cancellation requests pending',
  wakesIn: 'Wakes in',
  coroutine: 'Coroutine',
  deadline: 'Deadline',
  thread: 'Thread',
  loop: 'Event loop',
};

/** "Keeps the program alive: no", "Thread: MainThread". */
export function detailText(key: string, value: string | number | boolean): string {
  const words =
    DETAIL_WORDS[key] ??
    key
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/^./, (first) => first.toUpperCase())
      .replace(/ [A-Z](?=[a-z])/g, (w) => w.toLowerCase());
  return `${words}: ${typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value)}`;
}

/** What a screen reader says for a task row. */
export function taskAccessibilityLabel(task: Task): string | undefined {
  return task.ageMs === undefined
    ? undefined
    : `${taskLabel(task)}, ${task.state}, ${formatAge(task.ageMs)} old`;
}

/**
 * One frame as a stack line: `at fetchUser (/app/api.ts:42:7)`, marked `[library]` or `[runtime]` when
 * it is not the program's own code, and `(last known line)` when the line is inferred.
 */
export function formatFrame(frame: StackFrame): string {
  const where = `${frame.file}:${frame.line}${frame.column ? `:${frame.column}` : ''}`;
  const marks = [frame.origin ? `[${frame.origin}]` : '', frame.inferred ? '(last known line)' : ''].filter(
    Boolean,
  );
  const line = frame.functionName ? `at ${frame.functionName} (${where})` : `at ${where}`;
  return marks.length ? `${line} ${marks.join(' ')}` : line;
}

/** A frame row's label: the function, or the file's name for top-level code. */
export function frameLabel(frame: StackFrame): string {
  return frame.functionName || shortFileName(frame.file);
}

/** "api.ts:42 · library", "api.ts:42 · last known line" */
export function describeFrame(frame: StackFrame): string {
  const parts = [siteText(frame)];
  if (frame.origin) parts.push(frame.origin);
  if (frame.inferred) parts.push('last known line');
  return parts.join(' · ');
}

/** A task's stack as text (innermost first), or its site alone when no stack was captured. */
export function formatStack(task: Task): string {
  const frames = task.stack?.length ? task.stack : task.site ? [task.site] : [];
  return frames.map(formatFrame).join('\n');
}

/** Markdown for a task's tooltip: what it is, then where it was created or is suspended. */
export function taskTooltipMarkdown(task: Task): string {
  const lines = [`**${escapeMarkdown(taskLabel(task))}** — ${escapeMarkdown(describeTask(task))}`];
  if (task.siteInherited && task.site)
    lines.push('', `Created within \`${task.site.functionName ?? siteText(task.site)}\``);
  const stack = formatStack(task);
  if (stack) {
    const heading = task.stackKind === 'suspended' ? 'Suspended at' : 'Created at';
    lines.push('', `${heading}:`, '```', stack, '```');
  }
  if (task.startedBy?.length)
    lines.push('', 'Started by:', '```', task.startedBy.map(formatFrame).join('\n'), '```');
  for (const [key, value] of Object.entries(task.details ?? ({} as NonNullable<Task['details']>)))
    lines.push('', escapeMarkdown(detailText(key, value)));
  return lines.join('\n');
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
}

// Every sentence the Async Tasks view shows: row labels, descriptions, tooltips and messages. Pure
// text, so that wording is changed in one place, unit-tested, and the tree items stay a translation.
// A leaf: it imports the snapshot's types and nothing of the view, so any module may use it.
import type { Handle, SourceLocation, StackFrame, Task, TaskState } from '../snapshot/format';

/** What a filter description needs (the view's TaskFilter). */
interface FilterText {
  hideInternals: boolean;
  types: readonly string[];
  minAgeMs: number;
  text: string;
}

/** What a change description needs (the view's GroupChange); undefined when the group is new. */
interface CountChange {
  before: number;
  delta: number;
}

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

/** "PROMISE · pending · 3.4 s · awaiting Queue.get()"; an operation's wait: "41 s · waiting 12 s". */
export function describeTask(task: Task): string {
  const parts = [task.type, task.state];
  if (task.ageMs !== undefined) parts.push(formatAge(task.ageMs));
  if (task.waitingMs !== undefined && task.waitingMs !== task.ageMs)
    parts.push(`waiting ${formatAge(task.waitingMs)}`);
  if (task.awaiting) parts.push(`awaiting ${task.awaiting}`);
  else if (task.site && task.name) parts.push(siteText(task.site));
  return parts.join(' · ');
}

/** "1 child", "3 tasks": a count with its noun in the right number. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** A task row's description, with how many tasks hang below it in the parent tree. */
export function describeTaskRow(task: Task, childCount: number): string {
  return childCount > 0
    ? `${describeTask(task)} · ${countOf(childCount, 'child', 'children')}`
    : describeTask(task);
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
  for (const [key, value] of Object.entries(task.details ?? {}))
    lines.push('', escapeMarkdown(detailText(key, value)));
  return lines.join('\n');
}

/** Markdown for a group's tooltip. */
export function groupTooltipMarkdown(
  label: string,
  states: Partial<Record<TaskState, number>>,
  count: number,
  site?: SourceLocation,
): string {
  const lines = [`**${label}**`, '', describeStates(states, count)];
  if (site) lines.push('', `${site.file}:${site.line}`);
  return lines.join('\n');
}

/** A group row's description: its counts, a note when the filter makes them approximate, its change. */
export function describeGroupRow(
  group: {
    states: Partial<Record<TaskState, number>>;
    count: number;
    tasks: readonly unknown[];
    approximate?: boolean;
    oldestAgeMs?: number;
  },
  comparison?: { change: CountChange | undefined; since: number },
): string {
  let description = describeStates(group.states, group.count);
  if (group.oldestAgeMs !== undefined) description += ` · oldest ${formatAge(group.oldestAgeMs)}`;
  if (group.approximate)
    description = `≈ ${description} (filter applied to the ${group.tasks.length} loaded)`;
  if (comparison) description += ` · ${describeChange(comparison.change, formatClock(comparison.since))}`;
  return description;
}

/** "+317 since 12:03:04", "−5 since …", "unchanged since …" */
export function describeChange(change: CountChange | undefined, since: string): string {
  if (!change || change.before === 0) return `new since ${since}`;
  if (change.delta === 0) return `unchanged since ${since}`;
  return `${change.delta > 0 ? '+' : '−'}${Math.abs(change.delta)} since ${since}`;
}

/** "TCPWRAP — server listening on 127.0.0.1:8080" */
export function handleLabel(handle: Handle): string {
  return handle.description ? `${handle.type} — ${handle.description}` : handle.type;
}

export const HANDLES_LABEL = 'Keeping the program alive';
export const HANDLES_TOOLTIP =
  'Active handles and requests: what stops the program from exiting (servers, sockets, ref’d timers, child processes).';

/** "Load more from the program… (40 not loaded)" or "Show 40 more…". */
export function moreRowLabel(remaining: number, fromProgram: boolean): string {
  return fromProgram ? `Load more from the program… (${remaining} not loaded)` : `Show ${remaining} more…`;
}

/** "12 tasks · as of 09:41:07 · paused" */
export function describeSessionRow(
  status: string,
  taskCount: number | undefined,
  staleSince: number | undefined,
): string {
  const parts: string[] = [];
  if (taskCount !== undefined) parts.push(countOf(taskCount, 'task'));
  if (staleSince !== undefined) parts.push(`as of ${formatClock(staleSince)}`);
  parts.push(status);
  return parts.join(' · ');
}

/** "types: PROMISE, Timeout · older than 5 s · “fetch”" */
export function describeFilter(filter: FilterText): string {
  const parts: string[] = [];
  if (filter.types.length) parts.push(`types: ${filter.types.join(', ')}`);
  if (filter.minAgeMs > 0) parts.push(`older than ${filter.minAgeMs / 1000} s`);
  if (filter.text.trim()) parts.push(`“${filter.text.trim()}”`);
  if (!filter.hideInternals) parts.push('internals shown');
  return parts.join(' · ');
}

/** The view's description: which mode and filters are on. */
export function describeView(options: {
  mode: string;
  compare: boolean;
  filter: FilterText;
}): string | undefined {
  const parts: string[] = [];
  if (options.mode === 'tree') parts.push('parent tree');
  if (options.compare) parts.push('comparing');
  const filter = describeFilter(options.filter);
  if (filter) parts.push(filter);
  return parts.length ? parts.join(' · ') : undefined;
}

/** The messages a session row may show, in the user's words. */
export const messages = {
  unsupported: (debugType: string) =>
    `Async Tasks shows Node.js and Python programs; this is a “${debugType}” session.`,
  exited: (lastSnapshotAt: number | undefined) =>
    `The program exited${lastSnapshotAt ? `; its last snapshot is from ${formatClock(lastSnapshotAt)}` : ''}.`,
  capturing: 'Taking a snapshot…',
  runningCanRefresh: 'Running: pause it or press Refresh to see its tasks.',
  runningPauseToSee: (sourceLabel: string) =>
    `Running: pause it to see its tasks (${sourceLabel} programs are inspected while paused).`,
  treeTruncated: (sent: number, total: number) =>
    `The tree shows the ${sent} of ${total} tasks the program sent; switch to groups to load more.`,
  noMatch: 'No task matches the filter.',
  noTasks: 'No pending tasks.',
  nothingToCompare: 'Nothing to compare with yet: refresh again later.',
  filtered: (filter: FilterText) => `Filtered: ${describeFilter(filter)}`,
  handlesNotFiltered: 'not filtered',
  exported: (path: string) => `Exported the snapshot to ${path}`,
  loadMoreFailed: (reason: string) => `Could not load more tasks: ${reason}`,
  staleRow: 'From an earlier snapshot',
  badge: (total: number) => countOf(total, 'async task'),
};

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
}

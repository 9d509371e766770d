// The words for the view around the tasks: sessions, groups, problems, what keeps a program alive,
// filters and messages. With taskWords.ts, every sentence the Async Tasks view shows, in one folder.
// A leaf: it imports the snapshot's types and the task words, nothing of the view.
import type { Finding, FindingKind, Handle, SourceLocation, TaskState } from '../../snapshot/format';
import { countOf, describeStates, formatAge, formatClock } from './taskWords';

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

/**
 * A group row's label. Operations merged by stack lead with how many there are ("2 × httpGet ← …"): a
 * narrow side bar cuts the description first, and the count is what tells a hang from a pile-up.
 */
export function groupLabel(group: { label: string; kind: string; count: number }): string {
  return group.kind === 'stack' ? `${group.count} × ${group.label}` : group.label;
}

/** A group row's description: its counts, a note when the filter makes them approximate, its change. */
export function describeGroupRow(
  group: {
    states: Partial<Record<TaskState, number>>;
    count: number;
    tasks: readonly unknown[];
    approximate?: boolean;
    oldestAgeMs?: number;
    kind?: string;
    awaiting?: string;
  },
  comparison?: { change: CountChange | undefined; since: number },
): string {
  // A stack group's label already counts; it says what its operations wait on instead.
  let description =
    group.kind === 'stack'
      ? (group.awaiting ?? describeStates(group.states, group.count))
      : describeStates(group.states, group.count);
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

/** What each kind of finding is called. */
export const FINDING_KIND_WORDS: Record<FindingKind, string> = {
  cycle: 'deadlock',
  lockCycle: 'lock deadlock',
  stuck: 'stuck',
  orphan: 'can never finish',
  growth: 'growing',
};

/**
 * A finding's row label, what matters first: a deadlock by its members ("Aristotle, Kant and Spinoza
 * wait for each other's locks"; the full message, with lines, is the tooltip and the members' rows);
 * any other finding by its message.
 */
export function findingLabel(finding: Finding, memberNames: readonly string[]): string {
  const cycle = finding.kind === 'cycle' || finding.kind === 'lockCycle';
  if (!cycle || memberNames.length < 2) return finding.message;
  const names =
    memberNames.length === 2
      ? `${memberNames[0]} and ${memberNames[1]}`
      : `${memberNames.slice(0, -1).join(', ')} and ${memberNames[memberNames.length - 1]}`;
  return `${names} wait for each other${finding.kind === 'lockCycle' ? "'s locks" : ''}`;
}

/** "2 problems", or "No problems found" when the view looked and found none. */
export function findingsLabel(findings: readonly Finding[]): string {
  return findings.length ? countOf(findings.length, 'problem') : 'No problems found';
}

/** "1 deadlock · 2 stuck" */
export function describeFindings(findings: readonly Finding[]): string | undefined {
  if (findings.length === 0) return 'no deadlock, nothing stuck or growing';
  const counts = new Map<string, number>();
  for (const finding of findings)
    counts.set(FINDING_KIND_WORDS[finding.kind], (counts.get(FINDING_KIND_WORDS[finding.kind]) ?? 0) + 1);
  return [...counts].map(([words, count]) => `${count} ${words}`).join(' · ');
}

export const HANDLES_LABEL = 'Keeping the program alive';
export const HANDLES_TOOLTIP =
  'Active handles and requests: what stops the program from exiting (servers, sockets, ref’d timers, child processes).';

/** "Load more from the program… (40 not loaded)" or "Show 40 more…". */
export function moreRowLabel(remaining: number, fromProgram: boolean): string {
  return fromProgram ? `Load more from the program… (${remaining} not loaded)` : `Show ${remaining} more…`;
}

/**
 * A session row's label: js-debug names a process's session `app.js [4711] « Node: launch name`; the
 * part after « repeats the launch, which the tooltip keeps, and a narrow side bar needs the room.
 */
export function sessionLabel(name: string): string {
  const cut = name.indexOf(' « ');
  return cut > 0 ? name.slice(0, cut) : name;
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
  problemsBadge: (problems: number, total: number) =>
    `${countOf(problems, 'problem')} in ${countOf(total, 'async task')}`,
};

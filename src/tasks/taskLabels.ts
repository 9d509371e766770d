// The words the view shows: labels, descriptions and tooltips for groups and tasks. Pure text, so
// that the tree provider stays a thin translation and the wording is unit-tested.
import type { Handle, SourceLocation, StackFrame, Task, TaskState } from '../snapshot/format';

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

/** Counts per state, biggest first: "300 pending · 17 resolved". */
export function describeStates(states: Partial<Record<TaskState, number>>, total: number): string {
  const parts = Object.entries(states)
    .filter(([, count]) => (count ?? 0) > 0)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([state, count]) => `${count} ${state}`);
  return parts.length ? parts.join(' · ') : `${total} task${total === 1 ? '' : 's'}`;
}

/** What a task is called in a tree row: its name, the async function it belongs to, or its type. */
export function taskLabel(task: Task): string {
  return task.name ?? task.site?.functionName ?? task.type;
}

/** "PROMISE · pending · 3.4 s · awaiting Queue.get()" */
export function describeTask(task: Task): string {
  const parts = [task.type, task.state];
  if (task.ageMs !== undefined) parts.push(formatAge(task.ageMs));
  if (task.awaiting) parts.push(`awaiting ${task.awaiting}`);
  else if (task.site && task.name) parts.push(siteText(task.site));
  return parts.join(' · ');
}

/** One frame as a stack line: `at fetchUser (/app/api.ts:42:7)`. */
export function formatFrame(frame: StackFrame): string {
  const where = `${frame.file}:${frame.line}${frame.column ? `:${frame.column}` : ''}`;
  return frame.functionName ? `at ${frame.functionName} (${where})` : `at ${where}`;
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
    lines.push('', `${escapeMarkdown(key)}: ${escapeMarkdown(String(value))}`);
  return lines.join('\n');
}

/** "TCPWRAP — server listening on 127.0.0.1:8080" */
export function handleLabel(handle: Handle): string {
  return handle.description ? `${handle.type} — ${handle.description}` : handle.type;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
}

// What a snapshot needs to know of each live task before it decides what to send: where it was created
// (own or inherited site), whether it is Node's rather than the program's, its age and order, what it
// is called, and which group it joins. Worked out once per task; cheap for the tasks never sent.

import type { TaskState } from '../snapshot/format';
import type { GroupBy } from '../snapshot/request';
import type { TaskEntry } from './collectTasks';
import { baseName } from './groupTasks';
import { isInternalStack, stackOf, UNRESOLVED } from './siteResolution';
import type { Frame, ResolvedStack } from './stackTypes';

export interface Described {
  entry: TaskEntry;
  /** The stack shown (none in `off` mode). */
  resolved: ResolvedStack;
  /** The site is an ancestor's ("within …"), not the task's own. */
  inherited: boolean;
  internal: boolean;
  createdAt: number;
  order: number;
  state: TaskState;
}

/**
 * @param showSites false in `off` mode: stacks were captured only to tell Node's promises from the
 *   program's, and the snapshot shows none.
 */
export function describe(entry: TaskEntry, showSites: boolean): Described {
  const own = entry.record;
  const basis = own ?? entry.context;
  const resolved = basis === undefined ? UNRESOLVED : stackOf(basis);
  // Node's own: made before the agent, or created where only Node's frames are on the stack — its own,
  // or, for a promise without one, the context it was made in.
  const internal = entry.predatesAgent === true || isInternalStack(resolved);
  const shown = showSites ? resolved : UNRESOLVED;
  return {
    entry,
    resolved: shown,
    inherited: own === undefined || shown.source !== own,
    internal,
    // Promises linked to a synchronous run were created at the run's time; in a job, it is unknown.
    createdAt:
      own?.createdAt ??
      (entry.context?.run ? entry.context.createdAt : undefined) ??
      Number.POSITIVE_INFINITY,
    order: own === undefined ? Number.POSITIVE_INFINITY : Math.abs(own.number),
    state: entry.running ? 'running' : 'pending',
  };
}

export function groupKeyOf(item: Described, groupBy: GroupBy): string {
  const { resolved } = item;
  if (groupBy !== 'default' || resolved.site === undefined) return `type:${item.entry.type}`;
  if (item.inherited) {
    if (resolved.withinKey === undefined) resolved.withinKey = `within:${locationKey(resolved.site)}`;
    return resolved.withinKey;
  }
  if (resolved.ownKey === undefined) resolved.ownKey = `site:${locationKey(resolved.site)}`;
  return resolved.ownKey;
}

function locationKey(site: Frame): string {
  return `${site.file}:${site.line}:${site.column ?? 0}`;
}

export function labelOf(item: Described, groupBy: GroupBy): string {
  const { site } = item.resolved;
  if (groupBy === 'type') return item.entry.type;
  if (site === undefined) return `${item.entry.type} (site unknown)`;
  const where = `${baseName(site.file)}:${site.line}`;
  if (item.inherited) return `within ${site.functionName ?? '(anonymous)'} — ${where}`;
  return `${nameOf(item) ?? site.functionName ?? '(anonymous)'} — ${where}`;
}

/** What a task is called: a resource's description, or how its promise came to be. */
export function nameOf(item: Described): string | undefined {
  const { entry, resolved } = item;
  if (entry.resource) return entry.resource.description;
  if (item.inherited || resolved.site === undefined) return undefined;
  return nameOfPromise(entry.record?.derived === true, resolved.builtin, resolved.site.functionName);
}

/**
 * What the promise is, in the words of the code that made it: `async fetchUser` (an async function's
 * own promise), `await in fetchUser` (the promise an `await` suspends on), `new Promise in hangForever`,
 * `.then() in main`, `Promise.all in main`.
 */
export function nameOfPromise(
  derived: boolean,
  builtin: string | undefined,
  functionName: string | undefined,
): string {
  const where = functionName ?? '(anonymous)';
  if (builtin !== undefined) return `${builtin} in ${where}`;
  return derived ? `await in ${where}` : `async ${where}`;
}

// What the view asks a runtime for: `snapshot(request)`. One vocabulary for every runtime — the
// Node agent reads it as it is, the Python source passes it to the probe under the same names — and
// one check: a caller that asks for something a runtime does not understand gets an error naming
// it, not a silently different answer. No `vscode` import: the agent bundles this file.

/**
 * How tasks are aggregated at the source. `default` is what the runtime knows best: the creation
 * site for Node promises and resources, what a task awaits for asyncio and trio. `type` groups by
 * task type; `none` sends a flat page of tasks.
 */
export const GROUP_BY = ['default', 'type', 'none'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface SnapshotRequest {
  groupBy: GroupBy;
  /** Tasks sent per group; the rest are counted and fetched with `group` + `offset`. */
  maxTasksPerGroup: number;
  /** Groups sent, largest first; the rest are counted in `truncated`. */
  maxGroups: number;
  /** Only this group's tasks (a group `id` from an earlier snapshot): expanding a group in the view. */
  group: string | undefined;
  /** With `group`, or with `groupBy: 'none'`: the first task to send, and how many. */
  offset: number;
  limit: number | undefined;
  /** Include tasks the runtime's own machinery made (Node's internals, asyncio's and trio's system tasks). */
  includeInternals: boolean;
  /** Leave out tasks younger than this (tasks whose age is unknown are kept). */
  minAgeMs: number;
  /** Frames per task stack; 0 sends no stacks. */
  maxStackFrames: number;
  /** Include the "why is it still running" list of handles (Node). */
  includeHandles: boolean;
}

export const DEFAULT_SNAPSHOT_REQUEST: Readonly<SnapshotRequest> = Object.freeze({
  groupBy: 'default',
  maxTasksPerGroup: 50,
  maxGroups: 500,
  group: undefined,
  offset: 0,
  limit: undefined,
  includeInternals: false,
  minAgeMs: 0,
  maxStackFrames: 12,
  includeHandles: true,
});

/** The option names a runtime must understand: the probe's test checks its own list against these. */
export const SNAPSHOT_REQUEST_OPTIONS: readonly (keyof SnapshotRequest)[] = Object.freeze(
  Object.keys(DEFAULT_SNAPSHOT_REQUEST) as (keyof SnapshotRequest)[],
);

/** Throws a TypeError naming the bad option; unknown options are errors too (a typo is not ignored). */
export function parseSnapshotRequest(input: unknown): SnapshotRequest {
  if (input === undefined || input === null) return { ...DEFAULT_SNAPSHOT_REQUEST };
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new TypeError(`snapshot options must be an object, got ${describe(input)}`);
  }
  const request: SnapshotRequest = { ...DEFAULT_SNAPSHOT_REQUEST };
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (value === undefined) continue;
    switch (key) {
      case 'groupBy':
        if (!(GROUP_BY as readonly unknown[]).includes(value)) {
          throw new TypeError(
            `snapshot option groupBy must be ${GROUP_BY.map((name) => `'${name}'`).join(', ')}, got ${describe(value)}`,
          );
        }
        request.groupBy = value as GroupBy;
        break;
      case 'group':
        if (typeof value !== 'string')
          throw new TypeError(`snapshot option group must be a group id string, got ${describe(value)}`);
        request.group = value;
        break;
      case 'includeInternals':
      case 'includeHandles':
        if (typeof value !== 'boolean')
          throw new TypeError(`snapshot option ${key} must be a boolean, got ${describe(value)}`);
        request[key] = value;
        break;
      case 'maxTasksPerGroup':
      case 'maxGroups':
      case 'offset':
      case 'minAgeMs':
      case 'maxStackFrames':
        request[key] = nonNegativeInteger(key, value);
        break;
      case 'limit':
        request.limit = nonNegativeInteger(key, value);
        break;
      default:
        throw new TypeError(
          `unknown snapshot option ${JSON.stringify(key)}; known: ${SNAPSHOT_REQUEST_OPTIONS.join(', ')}`,
        );
    }
  }
  return request;
}

function nonNegativeInteger(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`snapshot option ${key} must be a non-negative integer, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}

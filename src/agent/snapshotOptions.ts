// The options of `snapshot(options)`, checked: a view that asks for something the agent does not
// understand gets an error saying what, not a silently different answer.

export type GroupBy = 'site' | 'type' | 'none';

export interface SnapshotOptions {
  /** How tasks are aggregated: by creation site (default), by type, or not at all. */
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
  /** Include promises and resources created by Node's own modules (hidden by default). */
  includeInternals: boolean;
  /** Leave out tasks younger than this (tasks whose age is unknown are kept). */
  minAgeMs: number;
  /** Frames per task stack; 0 sends no stacks. */
  maxStackFrames: number;
  /** Include the "why is it still running" list of handles. */
  includeHandles: boolean;
}

export const DEFAULT_SNAPSHOT_OPTIONS: SnapshotOptions = {
  groupBy: 'site',
  maxTasksPerGroup: 50,
  maxGroups: 500,
  group: undefined,
  offset: 0,
  limit: undefined,
  includeInternals: false,
  minAgeMs: 0,
  maxStackFrames: 12,
  includeHandles: true,
};

/** Throws a TypeError naming the bad option; unknown options are errors too (a typo is not ignored). */
export function parseSnapshotOptions(input: unknown): SnapshotOptions {
  if (input === undefined || input === null) return { ...DEFAULT_SNAPSHOT_OPTIONS };
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new TypeError(`snapshot options must be an object, got ${describe(input)}`);
  }
  const options = { ...DEFAULT_SNAPSHOT_OPTIONS };
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (value === undefined) continue;
    switch (key) {
      case 'groupBy':
        if (value !== 'site' && value !== 'type' && value !== 'none') {
          throw new TypeError(
            `snapshot option groupBy must be 'site', 'type' or 'none', got ${describe(value)}`,
          );
        }
        options.groupBy = value;
        break;
      case 'group':
        if (typeof value !== 'string')
          throw new TypeError(`snapshot option group must be a group id string, got ${describe(value)}`);
        options.group = value;
        break;
      case 'includeInternals':
      case 'includeHandles':
        if (typeof value !== 'boolean')
          throw new TypeError(`snapshot option ${key} must be a boolean, got ${describe(value)}`);
        options[key] = value;
        break;
      case 'maxTasksPerGroup':
      case 'maxGroups':
      case 'offset':
      case 'minAgeMs':
      case 'maxStackFrames':
        options[key] = nonNegativeInteger(key, value);
        break;
      case 'limit':
        options.limit = nonNegativeInteger(key, value);
        break;
      default:
        throw new TypeError(
          `unknown snapshot option ${JSON.stringify(key)}; known: ${Object.keys(DEFAULT_SNAPSHOT_OPTIONS).join(', ')}`,
        );
    }
  }
  return options;
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

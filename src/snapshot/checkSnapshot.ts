// Turns the text a runtime sent into a Snapshot, or an error a user can read. The view trusts
// nothing it did not check here: a broken, foreign or oversized snapshot becomes a message in the
// view, never an exception inside a tree provider. One pass of type checks with no allocation per
// task, so that 100 000 tasks are checked in tens of milliseconds.
import {
  FINDING_KINDS,
  FINDING_SEVERITIES,
  FRAME_ORIGINS,
  GROUP_KINDS,
  RUNTIMES,
  SNAPSHOT_FORMAT_VERSION,
  type Snapshot,
  STACK_KINDS,
  TASK_STATES,
} from './format';

/** Beyond this the JSON alone would take seconds to parse and hundreds of MiB to hold. */
export const MAX_SNAPSHOT_CHARS = 64 * 1024 * 1024;

const KNOWN_STATES: ReadonlySet<string> = new Set(TASK_STATES);
const KNOWN_RUNTIMES: ReadonlySet<string> = new Set(RUNTIMES);

/** A snapshot that cannot be shown; `message` is written for the user. */
export class SnapshotFormatError extends Error {
  override name = 'SnapshotFormatError';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and checks a snapshot's JSON text. */
export function parseSnapshot(text: string, maxChars = MAX_SNAPSHOT_CHARS): Snapshot {
  if (text.length > maxChars) {
    const mib = (text.length / 1024 / 1024).toFixed(0);
    throw new SnapshotFormatError(
      `The snapshot is too large to show (${mib} MiB). Hide internals or raise the minimum age to make it smaller.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const preview = text.length > 80 ? `${text.slice(0, 80)}…` : text;
    throw new SnapshotFormatError(`The snapshot is not valid JSON (${(error as Error).message}): ${preview}`);
  }
  return checkSnapshot(value);
}

const KNOWN_GROUP_KINDS: ReadonlySet<string> = new Set(GROUP_KINDS);
const KNOWN_STACK_KINDS: ReadonlySet<string> = new Set(STACK_KINDS);
const KNOWN_ORIGINS: ReadonlySet<string> = new Set(FRAME_ORIGINS);
const KNOWN_FINDING_KINDS: ReadonlySet<string> = new Set(FINDING_KINDS);
const KNOWN_SEVERITIES: ReadonlySet<string> = new Set(FINDING_SEVERITIES);

const optionalString = (value: unknown) => value === undefined || typeof value === 'string';
const optionalBoolean = (value: unknown) => value === undefined || typeof value === 'boolean';
const isCount = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isPositiveInteger = (value: unknown) => isCount(value) && (value as number) >= 1;

function isLocation(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.file === 'string' &&
    isPositiveInteger(value.line) &&
    (value.column === undefined || isPositiveInteger(value.column)) &&
    optionalString(value.functionName)
  );
}

const optionalLocation = (value: unknown) => value === undefined || isLocation(value);
const optionalNumber = (value: unknown) => value === undefined || (typeof value === 'number' && value >= 0);

function isFrame(value: unknown): boolean {
  if (!isLocation(value)) return false;
  const { origin, inferred } = value as { origin?: unknown; inferred?: unknown };
  return (
    (origin === undefined || (typeof origin === 'string' && KNOWN_ORIGINS.has(origin))) &&
    optionalBoolean(inferred)
  );
}

const optionalStack = (value: unknown) =>
  value === undefined || (Array.isArray(value) && value.every(isFrame));

function isDetails(value: unknown): boolean {
  if (value === undefined) return true;
  if (!isObject(value)) return false;
  for (const key in value) {
    const type = typeof value[key];
    if (type !== 'string' && type !== 'number' && type !== 'boolean') return false;
  }
  return true;
}

function isTask(task: unknown): boolean {
  return (
    isObject(task) &&
    typeof task.id === 'string' &&
    (task.parentId === null || typeof task.parentId === 'string') &&
    typeof task.type === 'string' &&
    typeof task.state === 'string' &&
    KNOWN_STATES.has(task.state) &&
    optionalString(task.name) &&
    optionalNumber(task.ageMs) &&
    optionalNumber(task.waitingMs) &&
    optionalString(task.awaiting) &&
    optionalLocation(task.site) &&
    optionalBoolean(task.siteInherited) &&
    optionalStack(task.stack) &&
    (task.stackKind === undefined || KNOWN_STACK_KINDS.has(task.stackKind as string)) &&
    optionalStack(task.startedBy) &&
    optionalBoolean(task.internal) &&
    isDetails(task.details)
  );
}

function isGroup(group: unknown): boolean {
  return (
    isObject(group) &&
    typeof group.id === 'string' &&
    typeof group.label === 'string' &&
    typeof group.kind === 'string' &&
    KNOWN_GROUP_KINDS.has(group.kind) &&
    optionalLocation(group.site) &&
    isCount(group.count) &&
    (group.states === undefined || (isObject(group.states) && Object.values(group.states).every(isCount))) &&
    optionalString(group.awaiting) &&
    optionalNumber(group.oldestAgeMs) &&
    Array.isArray(group.taskIds) &&
    group.taskIds.every((id) => typeof id === 'string')
  );
}

function isHandle(handle: unknown): boolean {
  return (
    isObject(handle) &&
    typeof handle.id === 'string' &&
    typeof handle.type === 'string' &&
    typeof handle.description === 'string' &&
    optionalLocation(handle.site) &&
    optionalStack(handle.stack)
  );
}

function isFinding(finding: unknown): boolean {
  return (
    isObject(finding) &&
    typeof finding.id === 'string' &&
    typeof finding.kind === 'string' &&
    KNOWN_FINDING_KINDS.has(finding.kind) &&
    typeof finding.severity === 'string' &&
    KNOWN_SEVERITIES.has(finding.severity) &&
    typeof finding.message === 'string' &&
    Array.isArray(finding.taskIds) &&
    finding.taskIds.every((id) => typeof id === 'string') &&
    optionalLocation(finding.site)
  );
}

/** Throws naming the first element of `list` that fails `check`. */
function checkEach(list: unknown[], check: (item: unknown) => boolean, what: string): void {
  for (let index = 0; index < list.length; index++) {
    if (!check(list[index])) {
      throw new SnapshotFormatError(
        `${what} ${index} of the snapshot is malformed: ${JSON.stringify(list[index]).slice(0, 200)}`,
      );
    }
  }
}

/**
 * Checks an already parsed value against the snapshot format: every field the schema describes, in
 * one pass without allocating per task. A unit test holds this check and the JSON Schema to the
 * same verdicts on valid and invalid samples.
 */
export function checkSnapshot(value: unknown): Snapshot {
  if (!isObject(value)) throw new SnapshotFormatError('The snapshot is not a JSON object.');
  const { version, runtime, pid, takenAt, tasks, groups, handles, notes, truncated, error, findings } = value;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new SnapshotFormatError('The snapshot has no format version.');
  }
  if (version > SNAPSHOT_FORMAT_VERSION) {
    throw new SnapshotFormatError(
      `The snapshot uses format version ${version}, newer than this extension understands (${SNAPSHOT_FORMAT_VERSION}). Update Async Toolkit.`,
    );
  }
  if (typeof runtime !== 'string' || !KNOWN_RUNTIMES.has(runtime)) {
    throw new SnapshotFormatError(`The snapshot names an unknown runtime: ${JSON.stringify(runtime)}.`);
  }
  if (typeof pid !== 'number' || !Number.isInteger(pid) || typeof takenAt !== 'number') {
    throw new SnapshotFormatError('The snapshot lacks its pid or the time it was taken.');
  }
  if (!Array.isArray(tasks)) throw new SnapshotFormatError('The snapshot has no task list.');
  checkEach(tasks, isTask, 'Task');
  if (groups !== undefined) {
    if (!Array.isArray(groups)) throw new SnapshotFormatError('The snapshot\'s "groups" is not a list.');
    checkEach(groups, isGroup, 'Group');
  }
  if (handles !== undefined) {
    if (!Array.isArray(handles)) throw new SnapshotFormatError('The snapshot\'s "handles" is not a list.');
    checkEach(handles, isHandle, 'Handle');
  }
  if (notes !== undefined && !(Array.isArray(notes) && notes.every((note) => typeof note === 'string'))) {
    throw new SnapshotFormatError('The snapshot\'s "notes" is not a list of strings.');
  }
  if (
    truncated !== undefined &&
    !(isObject(truncated) && isCount(truncated.totalTasks) && isCount(truncated.sentTasks))
  ) {
    throw new SnapshotFormatError(
      'The snapshot\'s "truncated" does not say how many tasks there were and were sent.',
    );
  }
  if (!optionalString(error)) throw new SnapshotFormatError('The snapshot\'s "error" is not a string.');
  if (findings !== undefined) {
    if (!Array.isArray(findings)) throw new SnapshotFormatError('The snapshot\'s "findings" is not a list.');
    checkEach(findings, isFinding, 'Finding');
  }
  return value as unknown as Snapshot;
}

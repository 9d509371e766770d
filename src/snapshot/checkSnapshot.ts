// Turns the text a runtime sent into a Snapshot, or an error a user can read. The view trusts
// nothing it did not check here: a broken, foreign or oversized snapshot becomes a message in the
// view, never an exception inside a tree provider. The checks are the schema's required fields
// only (one pass, no allocation per task) so that 100 000 tasks parse in tens of milliseconds.
import { RUNTIMES, SNAPSHOT_FORMAT_VERSION, type Snapshot, TASK_STATES } from './format';

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

/** Checks an already parsed value against the snapshot format's required fields. */
export function checkSnapshot(value: unknown): Snapshot {
  if (!isObject(value)) throw new SnapshotFormatError('The snapshot is not a JSON object.');
  const { version, runtime, pid, takenAt, tasks, groups } = value;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
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
  if (typeof pid !== 'number' || typeof takenAt !== 'number') {
    throw new SnapshotFormatError('The snapshot lacks its pid or the time it was taken.');
  }
  if (!Array.isArray(tasks)) throw new SnapshotFormatError('The snapshot has no task list.');
  for (let index = 0; index < tasks.length; index++) {
    const task = tasks[index];
    if (
      !isObject(task) ||
      typeof task.id !== 'string' ||
      (task.parentId !== null && typeof task.parentId !== 'string') ||
      typeof task.type !== 'string' ||
      typeof task.state !== 'string' ||
      !KNOWN_STATES.has(task.state)
    ) {
      throw new SnapshotFormatError(
        `Task ${index} of the snapshot is malformed: ${JSON.stringify(task).slice(0, 200)}`,
      );
    }
  }
  if (groups !== undefined) {
    if (!Array.isArray(groups)) throw new SnapshotFormatError('The snapshot\'s "groups" is not a list.');
    for (let index = 0; index < groups.length; index++) {
      const group = groups[index];
      if (
        !isObject(group) ||
        typeof group.id !== 'string' ||
        typeof group.label !== 'string' ||
        typeof group.count !== 'number' ||
        !Array.isArray(group.taskIds)
      ) {
        throw new SnapshotFormatError(
          `Group ${index} of the snapshot is malformed: ${JSON.stringify(group).slice(0, 200)}`,
        );
      }
    }
  }
  if (
    value.notes !== undefined &&
    !(Array.isArray(value.notes) && value.notes.every((note) => typeof note === 'string'))
  ) {
    throw new SnapshotFormatError('The snapshot\'s "notes" is not a list of strings.');
  }
  if (value.handles !== undefined && !Array.isArray(value.handles)) {
    throw new SnapshotFormatError('The snapshot\'s "handles" is not a list.');
  }
  return value as unknown as Snapshot;
}

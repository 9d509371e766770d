// The shapes operations are built from and into (operations.ts, uncoveredCalls.ts): a pending promise
// whose stack was captured, with the frames shown and the key they merge by; an operation as a snapshot
// sends it.

import type { CreationRecord } from './creationRecord';
import type { Awaiting } from './operationAwaiting';
import { type OperationFrame, stackKey, stackLabel } from './operationFrames';
import type { CapturedPromise, Flow, OperationParts } from './operationParts';

export interface Operation {
  /** `o<n>`, after the record of its innermost promise: the same in every snapshot. */
  id: string;
  frames: OperationFrame[];
  /** What operations with the same logical stack share. */
  key: string;
  label: string;
  awaiting: Awaiting;
  startedAt: number | undefined;
  waitingSince: number | undefined;
  order: number;
  /** Its frames come from a stack captured at its innermost wait. */
  exact: boolean;
  /** No frame of the program's own code: Node's, or a library's alone. */
  internal: boolean;
  details: Record<string, string | number | boolean> | undefined;
  /** The callers that made its outermost async call (operationStarters.ts). */
  startedBy: OperationFrame[] | undefined;
}

export interface FoundOperations {
  operations: Operation[];
  /** Why some operations have no exact stack, once each. */
  reasons: Set<Flow['reason']>;
  /** What they were made of: findings read the steps and calls (operationCycles.ts). */
  parts: OperationParts;
}

/** Flows' ids end in their reason: the two markers of unseen promises share the number 0. */
export const FLOW_SUFFIX: Record<Flow['reason'], string> = { budget: 'f', paused: 'p', beforeAgent: 'b' };

/** What a row says when nothing of where its promises were made is known. */
export const FLOW_LABELS: Record<Flow['reason'], string> = {
  budget: '(no stack: the capture budget was spent)',
  paused: '(made while tracking was paused)',
  beforeAgent: '(made before the agent loaded)',
};

export const UNKNOWN_REASONS: Record<Flow['reason'], string> = {
  budget: 'no stack was captured for it (the capture budget was spent)',
  paused: 'made while tracking was paused',
  beforeAgent: 'made before the agent loaded',
};

export interface Shaped extends CapturedPromise {
  /** Shared by every promise that captured the same stack (see `shapeOf`). */
  shape: Shape;
  frames: OperationFrame[];
  key: string;
}

/** What a captured stack shows of an operation: worked out once per distinct stack and snapshot. */
export interface Shape {
  frames: OperationFrame[];
  key: string;
  label: string;
  /** No frame of the program's own code. */
  internal: boolean;
}

export function shapeOf(frames: OperationFrame[]): Shape {
  return {
    frames,
    key: stackKey(frames),
    label: stackLabel(frames),
    // Without frames it is not known to be Node's: shown.
    internal: frames.length > 0 && frames.every((item) => item.origin !== undefined),
  };
}

export function operation(
  record: CreationRecord,
  suffix: string,
  shape: Shape,
  awaiting: Awaiting,
  exact: boolean,
): Operation {
  return {
    id: `o${record.number}${suffix}`,
    frames: shape.frames,
    key: exact ? shape.key : `?${shape.key}`,
    label: shape.label,
    awaiting,
    startedAt: record.startedAt ?? record.createdAt,
    waitingSince: exact ? record.createdAt : undefined,
    order: record.number,
    exact,
    internal: shape.internal,
    details: undefined,
    startedBy: undefined,
  };
}

// The messages between the Async Stacks panel (extension host) and its webview. The webview is
// treated as untrusted input: the panel checks every message's shape, and a request to open a line
// names a box and a frame of the picture it was sent, never a path.
import type { FindingSeverity } from '../snapshot/format';
import type { StackGraph } from './stackGraph';

/** A drawn box some of whose tasks a finding names: outlined in the finding's colour, its messages on hover. */
export interface BoxProblem {
  boxId: string;
  severity: FindingSeverity;
  messages: string[];
}

/** What the webview shows: a picture, or a message saying why there is none. */
export type PictureState =
  | {
      kind: 'graph';
      /** The debug session the picture is of (its name), and an id that changes when the session does. */
      sessionName: string;
      sessionId: string;
      /** The program ran after the snapshot was taken: the picture is drawn greyed. */
      stale: boolean;
      takenAt: number;
      /** One line each, for the status line: what the stacks are, what is left out. */
      notes: string[];
      graph: StackGraph;
      /** The boxes holding tasks of the session's findings (deadlocks, stuck tasks…), worst first. */
      problems: BoxProblem[];
    }
  | { kind: 'message'; title: string; detail: string };

export type ToWebview = { type: 'picture'; picture: PictureState };

export type FromWebview =
  /** The webview loaded (first time, or shown again); it sends what the user had expanded. */
  | { type: 'ready'; expanded: string[] }
  /** The set of expanded "+N more" boxes changed. */
  | { type: 'expanded'; expanded: string[] }
  /** Open the line of a frame of a box (`frameIndex` within the box's frames). */
  | { type: 'open'; nodeId: string; frameIndex: number }
  /** Save the drawn picture, a self-contained SVG document. */
  | { type: 'export'; svg: string; suggestedName: string };

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** The message's shape is known and its fields have the right types. */
export function isFromWebview(value: unknown): value is FromWebview {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
    case 'expanded':
      return isStringArray(message.expanded);
    case 'open':
      return typeof message.nodeId === 'string' && Number.isInteger(message.frameIndex);
    case 'export':
      return typeof message.svg === 'string' && typeof message.suggestedName === 'string';
    default:
      return false;
  }
}

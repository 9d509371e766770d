// The Python source of the Async Tasks view. Snapshots come from the probe
// (python/async_toolkit_probe.py), which the extension sends through DAP `evaluate` into the paused
// program: the first time as source text executed into a private module (`sys.modules[<name>]`, so
// the program's own globals are never touched), then only a call to its `snapshot_json_parts()`.
// The probe takes the view's request as it is (the one vocabulary of src/snapshot/request.ts) and
// groups the tasks itself, so only the groups and their first tasks cross the debug adapter.
// debugpy evaluates only in a paused frame, cuts results at 65 536 characters in its usual contexts
// and repr()-quotes strings; `format: { rawString: true }` returns the whole raw text.
// It speaks only DAP, so it works with whichever Python debugger type the user has.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type * as vscode from 'vscode';
import { parseSnapshot } from '../../../snapshot/checkSnapshot';
import type { Snapshot } from '../../../snapshot/format';
import { parseSnapshotRequest } from '../../../snapshot/request';
import { requestWithTimeout } from '../debugRequest';
import type { CaptureContext, SnapshotSource } from '../snapshotSource';

/** Debug types of debugpy: the Python Debugger extension's `debugpy`, and the older `python`. */
export const PYTHON_DEBUG_TYPES: readonly string[] = ['debugpy', 'python'];

/** What the snapshot expression returns when the probe is not yet in the program. */
export const PROBE_MISSING = '__async_toolkit_probe_missing__';

/** The probe's errors that mean "nothing to show" rather than "something broke". */
const NOTHING_TO_SHOW = [
  { prefix: 'not an async program', title: 'Not an async program' },
  { prefix: 'no running loop', title: 'No running loop' },
];

/** A Python string literal for any text: JSON string syntax is a subset of Python's. */
function pythonString(text: string): string {
  return JSON.stringify(text);
}

/** The private module's name: one per probe version, so an updated extension never reuses an old probe. */
export function probeModuleName(probeSource: string): string {
  return `_async_toolkit_probe_${createHash('sha256').update(probeSource).digest('hex').slice(0, 12)}`;
}

function callSnapshot(module: string, options: Record<string, unknown>): string {
  return `${module}.snapshot_json_parts(**__import__('json').loads(${pythonString(JSON.stringify(options))}))`;
}

/**
 * A Python expression (evaluate accepts expressions in every context) that calls the probe if it is
 * loaded and otherwise returns PROBE_MISSING. Nothing is bound in the paused frame's namespace.
 */
export function snapshotExpression(moduleName: string, options: Record<string, unknown>): string {
  return `(lambda m: ${callSnapshot('m', options)} if m is not None and hasattr(m, 'snapshot_json_parts') else ${pythonString(PROBE_MISSING)})(__import__('sys').modules.get(${pythonString(moduleName)}))`;
}

/**
 * Loads the probe into a fresh module registered in `sys.modules` only after its code ran whole
 * (a failed load leaves nothing behind), then calls it. `compile` gets the probe's real path so its
 * frames are recognisable and tracebacks point at the file.
 */
export function installAndSnapshotExpression(
  moduleName: string,
  probeSource: string,
  probePath: string,
  options: Record<string, unknown>,
): string {
  const name = pythonString(moduleName);
  const load =
    `(lambda sys, m: (exec(compile(${pythonString(probeSource)}, ${pythonString(probePath)}, 'exec'), m.__dict__), ` +
    `sys.modules.__setitem__(${name}, m), m)[2])(__import__('sys'), __import__('types').ModuleType(${name}))`;
  return `(lambda m: ${callSnapshot('m', options)})(__import__('sys').modules.get(${name}) or ${load})`;
}

/** Part `index` (1, 2, …) of the snapshot the probe holds after the first part was read. */
export function partExpression(moduleName: string, index: number): string {
  return `__import__('sys').modules[${pythonString(moduleName)}].snapshot_json_part(${index})`;
}

/**
 * The whole snapshot text from the probe's first answer (`"<total chars>\n<first part>"`) and as
 * many further parts as it takes: debugpy's adapter drops messages over 16 MiB, and the session
 * with them, so a large snapshot crosses `evaluate` in parts of 4 million characters.
 */
export async function collectParts(
  first: string,
  fetchPart: (index: number) => Promise<string>,
): Promise<string> {
  // `first` is unquoted already: "<total>\n<first part>".
  const newline = first.indexOf('\n');
  const total = Number(first.slice(0, newline));
  if (newline < 1 || !Number.isInteger(total)) {
    throw new Error(`Probe failed: unexpected answer from the probe: ${first.slice(0, 120)}`);
  }
  const parts = [first.slice(newline + 1)];
  let received = parts[0].length;
  for (let index = 1; received < total; index++) {
    const part = await fetchPart(index);
    if (!part) break;
    parts.push(part);
    received += part.length;
  }
  if (received !== total) {
    throw new Error(`Probe failed: the snapshot arrived incomplete (${received} of ${total} characters).`);
  }
  return parts.join('');
}

/**
 * The probe's answer from an evaluate result. Every answer of the probe starts with "@". With
 * `rawString` debugpy returns the text itself; a debugger that ignores it returns Python's repr
 * (`'@…'`). The probe writes ASCII-only JSON, so that repr escapes only backslashes and quotes.
 */
export function unquoteEvaluateResult(result: string): string {
  if (result.startsWith('@')) return result.slice(1);
  const quote = result[0];
  if ((quote === "'" || quote === '"') && result.endsWith(quote) && result[1] === '@') {
    return result.slice(2, -1).replace(/\\(\\|'|")/g, '$1');
  }
  if ((quote === "'" || quote === '"') && result.slice(1, -1) === PROBE_MISSING) return PROBE_MISSING;
  return result;
}

/**
 * The request sent to the probe: the view's, as it is. It is checked against the one request
 * vocabulary first, so that an option the contract does not know is an error naming it here rather
 * than a partial snapshot from the probe.
 */
export function probeRequest(
  options: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options ?? {})) if (value !== undefined) request[key] = value;
  parseSnapshotRequest(request);
  return request;
}

/**
 * A snapshot, or the Error the view shows: an empty snapshot whose error says there is nothing to
 * show (or that the probe failed) is a message, not an empty tree. A partial snapshot is returned
 * with its error, which the view shows as a warning above the tasks.
 */
export function interpretProbeResult(text: string): Snapshot {
  let snapshot: Snapshot;
  try {
    snapshot = parseSnapshot(text);
  } catch (error) {
    const cut = text.includes("...'") || text.includes('...');
    throw new Error(
      `Probe failed: ${(error as Error).message}${cut ? ' The debugger may have cut the result: update debugpy (1.6 or later returns it whole).' : ''}`,
    );
  }
  if (snapshot.error && snapshot.tasks.length === 0) {
    const nothing = NOTHING_TO_SHOW.find((kind) => snapshot.error?.startsWith(kind.prefix));
    if (nothing) {
      const detail = snapshot.error.slice(nothing.prefix.length).replace(/^[:\s]+/, '');
      throw new Error(`${nothing.title}${detail ? `: ${detail}` : ''}.`);
    }
    throw new Error(
      snapshot.error.startsWith('probe failed')
        ? `P${snapshot.error.slice(1)}`
        : `Probe failed: ${snapshot.error}`,
    );
  }
  return snapshot;
}

export interface PythonSourceDependencies {
  /** Absolute path of python/async_toolkit_probe.py in the installed extension. */
  probePath: string;
  log: vscode.LogOutputChannel;
}

interface StackTraceResponse {
  stackFrames?: { id: number }[];
}

export class PythonSnapshotSource implements SnapshotSource {
  readonly label = 'Python';
  /** debugpy evaluates only in a paused frame: Python sessions refresh on stops and on demand. */
  readonly capturesWhileRunning = false;
  private probe?: Promise<{ source: string; moduleName: string }>;

  constructor(private readonly dependencies: PythonSourceDependencies) {}

  handles(session: vscode.DebugSession): boolean {
    return PYTHON_DEBUG_TYPES.includes(session.type);
  }

  async capture(session: vscode.DebugSession, context: CaptureContext): Promise<Snapshot> {
    const { log } = this.dependencies;
    const started = Date.now();
    const frameId = await this.pausedFrame(session, context);
    const { source, moduleName } = await this.loadProbe();
    const options = probeRequest(context.request);
    let first = await this.evaluate(session, frameId, snapshotExpression(moduleName, options), context);
    if (first === PROBE_MISSING) {
      log.info(`Async Tasks: loading the Python probe into “${session.name}” (${moduleName}).`);
      const install = installAndSnapshotExpression(moduleName, source, this.dependencies.probePath, options);
      first = await this.evaluate(session, frameId, install, context);
    }
    const text = await collectParts(first, (index) =>
      this.evaluate(session, frameId, partExpression(moduleName, index), context),
    );
    const snapshot = interpretProbeResult(text);
    log.debug(
      `Async Tasks: Python snapshot of “${session.name}”: ${snapshot.tasks.length} tasks, ${(text.length / 1024).toFixed(0)} KiB, ${Date.now() - started} ms`,
    );
    return snapshot;
  }

  private loadProbe(): Promise<{ source: string; moduleName: string }> {
    this.probe ??= readFile(this.dependencies.probePath, 'utf8').then(
      (source) => ({ source, moduleName: probeModuleName(source) }),
      (error: Error) => {
        this.probe = undefined;
        throw new Error(`Probe failed: the probe file is missing from the extension (${error.message}).`);
      },
    );
    return this.probe;
  }

  /** The innermost frame of the stopped thread (or of any paused thread): debugpy evaluates only there. */
  private async pausedFrame(session: vscode.DebugSession, context: CaptureContext): Promise<number> {
    const topFrame = async (threadId: number): Promise<number | undefined> => {
      try {
        const trace = await requestWithTimeout<StackTraceResponse>(
          session,
          'stackTrace',
          { threadId, startFrame: 0, levels: 1 },
          context.timeoutMs,
        );
        return trace.stackFrames?.[0]?.id;
      } catch {
        return undefined; // that thread is running, or gone
      }
    };
    if (context.stoppedThreadId !== undefined) {
      const frame = await topFrame(context.stoppedThreadId);
      if (frame !== undefined) return frame;
    }
    const { threads = [] } = await requestWithTimeout<{ threads?: { id: number }[] }>(
      session,
      'threads',
      {},
      context.timeoutMs,
    );
    for (const thread of threads) {
      const frame = await topFrame(thread.id);
      if (frame !== undefined) return frame;
    }
    throw new Error(
      'The program is running: debugpy reads Python tasks only while it is paused. Pause it or stop at a breakpoint.',
    );
  }

  private async evaluate(
    session: vscode.DebugSession,
    frameId: number,
    expression: string,
    context: CaptureContext,
  ): Promise<string> {
    try {
      const response = await requestWithTimeout<{ result?: string }>(
        session,
        'evaluate',
        { expression, frameId, context: 'clipboard', format: { rawString: true } },
        context.timeoutMs,
      );
      return unquoteEvaluateResult(String(response?.result ?? ''));
    } catch (error) {
      throw new Error(`Probe failed: ${(error as Error).message}`);
    }
  }
}

export function createPythonSource(dependencies: PythonSourceDependencies): PythonSnapshotSource {
  return new PythonSnapshotSource(dependencies);
}

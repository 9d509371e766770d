// The Node.js source of the Async Tasks view. Snapshots come from the agent (dist/agent.js, loaded by
// nodeAgentInjection) through DAP `evaluate` on js-debug's child session — the one attached to the
// process; the launcher above it never answers evaluate. The `clipboard` context is the one js-debug
// does not truncate (`repl` cuts at 100 000 characters, `hover` at 1 000), and js-debug evaluates
// without a paused frame too, so snapshots
// also work while the program runs. Without the agent, js-debug's CDP proxy gives promise counts.
import type * as vscode from 'vscode';
import { parseSnapshot } from '../../../snapshot/checkSnapshot';
import type { Snapshot } from '../../../snapshot/format';
import type { SnapshotRequest } from '../../../snapshot/request';
import type { TasksSettings } from '../../tasksSettings';
import { requestWithTimeout } from '../debugRequest';
import type { CaptureContext, SnapshotSource } from '../snapshotSource';
import { connectCdp } from './cdpConnection';
import { takePromiseCensus } from './cdpPromiseCensus';
import { agentNoteOf, NODE_DEBUG_TYPES, registerNodeAgentInjection } from './nodeAgentInjection';

const AGENT_MISSING = '__asyncToolkitAgentMissing';
const AGENT_FAILED = '__asyncToolkitAgentFailed';

/** Promises whose state the fallback reads one by one; the rest are counted. */
const CENSUS_EXAMINED = 2000;

export const AGENT_NOT_LOADED_EXPLANATION =
  'The Async Toolkit agent is not loaded in this program, so this shows promise counts only. ' +
  'Launch the program (not attach) with the setting “asyncToolkit.node.injectAgent” on to see creation sites, ' +
  'timers, sockets and servers — or add `--require <extension>/dist/agent.js` to its NODE_OPTIONS yourself.';

/**
 * The expression evaluated in the debuggee. It never throws into the debugger (errors come back as
 * JSON) and tells "no agent" apart from "agent failed".
 */
export function snapshotExpression(request: Partial<SnapshotRequest>): string {
  return `(() => {
  const toolkit = globalThis.__asyncToolkit;
  if (!toolkit || typeof toolkit.snapshotJson !== 'function') return '{"${AGENT_MISSING}":true}';
  try { return toolkit.snapshotJson(${JSON.stringify(request)}); }
  catch (error) { return JSON.stringify({ ${AGENT_FAILED}: String(error && error.stack || error) }); }
})()`;
}

/** js-debug's `clipboard` result is the string JSON-quoted; other contexts may not quote it. */
export function unquoteEvaluateResult(result: string): string {
  if (result.startsWith('"')) {
    try {
      const value = JSON.parse(result);
      if (typeof value === 'string') return value;
    } catch {
      // Not a JSON string after all: use it as it is.
    }
  }
  return result;
}

function isNodeSession(session: vscode.DebugSession): boolean {
  return (NODE_DEBUG_TYPES as readonly string[]).includes(session.type);
}

/** js-debug's child session of one process carries the target it attached to; the launcher does not. */
function isProcessSession(session: vscode.DebugSession): boolean {
  return '__pendingTargetId' in session.configuration;
}

export interface NodeSourceDependencies {
  agentPath: string;
  /** The settings, for a launch's folder when there is one. */
  settings: (folder?: vscode.WorkspaceFolder) => TasksSettings;
  log: vscode.LogOutputChannel;
}

export class NodeSnapshotSource implements SnapshotSource, vscode.Disposable {
  readonly label = 'Node.js';
  readonly capturesWhileRunning = true;
  private readonly injection: vscode.Disposable;

  constructor(private readonly dependencies: NodeSourceDependencies) {
    this.injection = registerNodeAgentInjection(
      dependencies.agentPath,
      dependencies.settings,
      dependencies.log,
    );
  }

  dispose(): void {
    this.injection.dispose();
  }

  handles(session: vscode.DebugSession): boolean {
    return isNodeSession(session);
  }

  isContainer(session: vscode.DebugSession): boolean {
    return isNodeSession(session) && !isProcessSession(session);
  }

  async capture(session: vscode.DebugSession, context: CaptureContext): Promise<Snapshot> {
    const { log } = this.dependencies;
    const started = Date.now();
    const response = await requestWithTimeout<{ result?: string }>(
      session,
      'evaluate',
      { expression: snapshotExpression(context.request), context: 'clipboard' },
      context.timeoutMs,
    );
    const text = unquoteEvaluateResult(String(response?.result ?? ''));
    if (text.includes(AGENT_MISSING) && text.length < 100) {
      log.info(`Async Tasks: no agent in “${session.name}”; counting promises through the CDP proxy.`);
      return this.census(session, context);
    }
    if (text.startsWith(`{"${AGENT_FAILED}"`)) {
      const detail = JSON.parse(text)[AGENT_FAILED];
      log.error(`Async Tasks: the agent failed in “${session.name}”: ${detail}`);
      throw new Error(`The agent failed to take a snapshot: ${String(detail).split('\n')[0]}`);
    }
    const snapshot = parseSnapshot(text);
    log.debug(
      `Async Tasks: snapshot of “${session.name}”: ${snapshot.tasks.length} tasks, ${(text.length / 1024).toFixed(0)} KiB, ${Date.now() - started} ms`,
    );
    return snapshot;
  }

  /** Promise counts through js-debug's CDP proxy, for a program without the agent. */
  private async census(session: vscode.DebugSession, context: CaptureContext): Promise<Snapshot> {
    try {
      const address = await requestWithTimeout<{ host: string; port: number; path?: string }>(
        session,
        'requestCDPProxy',
        {},
        context.timeoutMs,
      );
      const host = address.host.includes(':') ? `[${address.host}]` : address.host;
      const cdp = await connectCdp(`ws://${host}:${address.port}${address.path ?? ''}`, context.timeoutMs);
      try {
        return await takePromiseCensus(
          cdp.send,
          { maxExamined: CENSUS_EXAMINED },
          agentNoteOf(session) ?? AGENT_NOT_LOADED_EXPLANATION,
        );
      } finally {
        cdp.close();
      }
    } catch (error) {
      throw new Error(
        `The Async Toolkit agent is not loaded in this program, and counting its promises through the debugger failed (${(error as Error).message}). ` +
          'Launch it with the setting “asyncToolkit.node.injectAgent” on to see its tasks.',
      );
    }
  }
}

export function createNodeSource(dependencies: NodeSourceDependencies): NodeSnapshotSource {
  return new NodeSnapshotSource(dependencies);
}

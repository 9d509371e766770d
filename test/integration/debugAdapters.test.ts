import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { python } from '../support/pythonInterpreter';
import { repositoryRoot } from '../support/repositoryRoot';
import { requestWithTimeout, stopAllSessions, topFrameId, waitForStop } from './support/debugSessions';

// The base the Async Tasks view stands on: real adapters, started, stopped and evaluated in.
describe('Debug adapters in the real extension host', () => {
  afterEach(stopAllSessions);

  it('js-debug launches a Node program, stops at `debugger;` and evaluates in the child session', async () => {
    // js-debug starts a parent session and a child for the process; only the child answers `evaluate`.
    const stopped = waitForStop(
      (session) => session.type === 'pwa-node' && session.parentSession !== undefined,
    );
    const started = await vscode.debug.startDebugging(undefined, {
      type: 'node',
      request: 'launch',
      name: 'pause',
      program: join(repositoryRoot, 'test', 'fixtures', 'programs', 'pauseNode.js'),
      console: 'internalConsole',
    });
    assert.equal(started, true);
    const { session, threadId } = await stopped;
    const frameId = await topFrameId(session, threadId);
    const result = await requestWithTimeout<{ result: string }>(session, 'evaluate', {
      expression: 'greeting.toUpperCase()',
      frameId,
      context: 'clipboard',
    });
    assert.equal(result.result, "'HELLO FROM THE DEBUGGEE'".replace(/'/g, '"'));
  });

  it('debugpy launches a Python program, stops at breakpoint() and evaluates with rawString', async () => {
    const stopped = waitForStop((session) => session.type === 'debugpy');
    const started = await vscode.debug.startDebugging(undefined, {
      type: 'debugpy',
      request: 'launch',
      name: 'pause',
      program: join(repositoryRoot, 'test', 'fixtures', 'programs', 'pause_python.py'),
      python,
      console: 'internalConsole',
    });
    assert.equal(started, true);
    const { session, threadId } = await stopped;
    const frameId = await topFrameId(session, threadId);
    const result = await requestWithTimeout<{ result: string }>(session, 'evaluate', {
      expression: 'greeting.upper()',
      frameId,
      context: 'repl',
      format: { rawString: true },
    });
    assert.equal(result.result, 'HELLO FROM THE DEBUGGEE');
  });
});

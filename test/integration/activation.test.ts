// The extension's life in a real host, from its start: not active until something needs it, then
// activated by its own event when a debug session starts. This file runs first (index.ts runs the suite
// files in name order), before any other suite starts debugging or calls activate().
// What package.json declares (the views, the activation events) is checked in the unit layer:
// test/unit/extensionManifest.test.ts.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { repositoryRoot } from '../support/repositoryRoot';
import { waitUntil } from '../support/waitUntil';
import { stopAllSessions } from './support/debugSessions';

const extensionId = 'async-toolkit.async-toolkit';

describe('Extension activation in the host', () => {
  let extension: vscode.Extension<unknown>;

  before(() => {
    const found = vscode.extensions.getExtension(extensionId);
    assert.ok(found, `${extensionId} is not loaded`);
    extension = found;
  });
  after(stopAllSessions);

  it('is not active while nothing needs it (no start-up activation)', () => {
    assert.equal(
      extension.isActive,
      false,
      'already active: an activation event fired at start-up, or a suite that runs before this file activated it',
    );
  });

  it('activates by itself when a debug session starts (onDebug)', async () => {
    assert.equal(extension.isActive, false, 'active before the debug session started');
    const started = await vscode.debug.startDebugging(undefined, {
      type: 'node',
      request: 'launch',
      name: 'activation',
      program: join(repositoryRoot, 'test', 'fixtures', 'programs', 'pauseNode.js'),
      console: 'internalConsole',
    });
    assert.equal(started, true);
    await waitUntil('the extension to be active', () => extension.isActive, { timeoutMs: 15_000 });
  });

  it('registers every command it contributes', async () => {
    await extension.activate(); // already active after the test above; this one may run alone (--grep)
    const contributed: { command: string }[] = extension.packageJSON.contributes.commands;
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((entry) => entry.command).filter((command) => !registered.has(command));
    assert.deepEqual(missing, []);
  });

  it('shows the Async Tasks view in the workbench', async () => {
    // Focusing the view only succeeds when the workbench knows it.
    await vscode.commands.executeCommand('asyncToolkit.tasks.focus');
  });
});

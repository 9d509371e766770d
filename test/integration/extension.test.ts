import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const extensionId = 'async-toolkit.async-toolkit';

describe('Extension', () => {
  let extension: vscode.Extension<unknown>;

  before(async () => {
    const found = vscode.extensions.getExtension(extensionId);
    assert.ok(found, `${extensionId} is not loaded`);
    extension = found;
    await extension.activate();
  });

  it('activates', () => {
    assert.equal(extension.isActive, true);
  });

  it('registers every command it contributes', async () => {
    const contributed: { command: string }[] = extension.packageJSON.contributes.commands;
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((entry) => entry.command).filter((command) => !registered.has(command));
    assert.deepEqual(missing, []);
  });

  it('contributes the Async Tasks view in its own activity-bar container', async () => {
    const views = extension.packageJSON.contributes.views.asyncToolkit as { id: string; name: string }[];
    assert.deepEqual(
      views.map((view) => [view.id, view.name]),
      [['asyncToolkit.tasks', 'Async Tasks']],
    );
    // Focusing the view only succeeds when the workbench knows it.
    await vscode.commands.executeCommand('asyncToolkit.tasks.focus');
  });

  it('keeps activation lazy (no "*" activation event)', () => {
    assert.equal(extension.packageJSON.activationEvents.includes('*'), false);
  });
});

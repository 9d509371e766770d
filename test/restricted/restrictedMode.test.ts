import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';

// Runs with workspace trust on and the workspace folder untrusted (Restricted Mode): the extension
// declares limited support, so it must activate and do only what is safe there.
// (Commands activate it by themselves: VS Code adds an activation event for each contributed command.)
describe('Restricted Mode (untrusted workspace)', () => {
  const workspace = process.env.ASYNC_TOOLKIT_WORKSPACE ?? '';

  it('runs in a workspace that is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, workspace);
  });

  it('activates and registers its commands', async () => {
    const extension = vscode.extensions.getExtension('async-toolkit.async-toolkit');
    assert.ok(extension, 'the extension is not loaded');
    // Activated here, not in a hook, so that an activation that throws in Restricted Mode fails this test
    // (activate() rejects with the error).
    assert.equal(extension.isActive, false, 'active before anything asked for it');
    await extension.activate();
    assert.equal(extension.isActive, true);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const { command } of extension.packageJSON.contributes.commands) {
      assert.ok(registered.has(command), `${command} is not registered`);
    }
  });

  it('refuses to create a project inside the untrusted workspace and writes nothing', async () => {
    await assert.rejects(
      async () =>
        await vscode.commands.executeCommand('asyncToolkit.newEchoProject', {
          flavour: 'python-asyncio-streams',
          parentFolder: workspace,
          name: 'echo',
          port: 23457,
          open: 'none',
        }),
      /This workspace is not trusted/,
    );
    assert.equal(existsSync(join(workspace, 'echo')), false);
  });

  it('still creates a project outside the untrusted workspace', async () => {
    const parentFolder = mkdtempSync(join(tmpdir(), 'restricted-scaffold-'));
    try {
      const result = await vscode.commands.executeCommand<{ dir: string }>('asyncToolkit.newEchoProject', {
        flavour: 'python-asyncio-streams',
        parentFolder,
        name: 'echo',
        port: 23458,
        open: 'none',
      });
      assert.equal(result?.dir, join(parentFolder, 'echo'));
      assert.ok(existsSync(join(parentFolder, 'echo', 'server.py')));
    } finally {
      rmSync(parentFolder, { recursive: true, force: true });
    }
  });

  it('offers snippets in Restricted Mode (they are static text)', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: 'aiomain' });
    const completions = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      new vscode.Position(0, 7),
    );
    const labels = completions.items.map((item) =>
      typeof item.label === 'string' ? item.label : item.label.label,
    );
    assert.ok(labels.includes('aiomain'), labels.slice(0, 20).join(', '));
  });
});

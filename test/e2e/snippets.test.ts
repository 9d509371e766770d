import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { python } from '../support/pythonInterpreter';
import { waitUntil } from '../support/waitUntil';
import {
  openWorkbench,
  pickFromQuickInput,
  publishScreenshot,
  runCommand,
  type Workbench,
} from './workbench';

async function openFile(page: Page, name: string): Promise<void> {
  await pickFromQuickInput(page, { key: 'F1', text: name, row: name, pick: 'enter' });
  // Focus the editor as a user does, by clicking into its text.
  await page.locator('.monaco-editor .view-lines').first().click();
}

async function clearEditor(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
}

async function suggestions(page: Page): Promise<string[]> {
  const rows = page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');
  await rows.first().waitFor({ timeout: 30_000 });
  return rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label') ?? ''));
}

describe('Workbench UI: snippets', function () {
  this.timeout(180_000);
  let workbench: Workbench;
  let folder: string;

  before(async () => {
    workbench = await openWorkbench();
    folder = join(workbench.stateDir, 'workspace');
    writeFileSync(join(folder, 'greet.py'), '');
  });
  after(async () => {
    await workbench?.close();
  });

  it('lists the asyncio snippets with their names when "aio" is typed in a Python file', async () => {
    const { page } = workbench;
    await openFile(page, 'greet.py');
    await page.keyboard.type('aio');
    let labels = await suggestions(page).catch(() => [] as string[]);
    if (labels.length === 0) {
      await page.keyboard.press('Control+Space');
      labels = await suggestions(page);
    }
    // The list shows a window of its rows: the first ones, alphabetically, each with the snippet's name.
    assert.ok(labels.length >= 8, labels.join(' | '));
    assert.ok(
      labels.every((label) => label.startsWith('aio')),
      labels.join(' | '),
    );
    assert.ok(
      labels.includes('aiocancel, asyncio cancellation handled correctly, Snippet'),
      labels.join(' | '),
    );
    await page.keyboard.type('task');
    const narrowed = await suggestions(page);
    assert.deepEqual(
      // Best matches first (the fuzzy match also lists aiocreatetask, further down).
      narrowed.map((label) => label.split(',')[0]).slice(0, 2),
      ['aiotaskgroup', 'aiotaskgrouperrors'],
    );
    // Ctrl+Space on an open list shows the selected snippet's description and a preview of its code.
    await page.keyboard.press('Control+Space');
    await page.locator('.suggest-details-container .suggest-details').first().waitFor({ timeout: 10_000 });
    publishScreenshot(await workbench.screenshot('snippets-completion'), 'screenshot-snippets.png');
    await clearEditor(page);
  });

  it('inserts a snippet, fills its fields with Tab, and the saved program runs', async () => {
    const { page } = workbench;
    await openFile(page, 'greet.py');
    await clearEditor(page);
    await page.keyboard.type('aiohello');
    await suggestions(page);
    await page.keyboard.press('Enter');
    // First field: the coroutine's name (its mirror in asyncio.run follows); second: the message.
    await page.keyboard.type('greet');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Hello from a snippet!');
    await page.keyboard.press('Tab');
    await runCommand(page, 'File: Save');
    const file = join(folder, 'greet.py');
    let text = '';
    await waitUntil(
      'the saved file',
      () => {
        text = readFileSync(file, 'utf8');
        return text.includes('asyncio.run(');
      },
      { timeoutMs: 5_000 },
    ).catch(() => {}); // the assertion below says what the file holds instead
    assert.match(
      text,
      /async def greet\(\) -> None:\n {4}print\("Hello from a snippet!"\)\n\n\nasyncio\.run\(greet\(\)\)/,
    );
    const run = spawnSync(python, ['-W', 'error', file], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, 'Hello from a snippet!\n');
  });
});

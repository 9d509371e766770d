// The New Echo Server/Client Project command as a user goes through it in the workbench: the flavour
// quick pick, the folder dialog, the name box validating as you type, the port box, the notification.
// The screenshots of the flow go to media/ for the README.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { waitUntil } from '../support/waitUntil';
import {
  openAsyncToolkitContainer,
  openWorkbench,
  publishScreenshot,
  runCommand,
  type Workbench,
} from './workbench';

const quickInput = (page: Page) => page.locator('.quick-input-widget');

/** Replaces the text of the visible quick input box, as typing would. */
async function typeInto(page: Page, text: string): Promise<void> {
  const input = quickInput(page).locator('input');
  await input.waitFor();
  await input.fill(text);
}

describe('Workbench UI: New Echo Server/Client Project', function () {
  this.timeout(240_000);
  let workbench: Workbench;
  let parent: string;

  before(async () => {
    workbench = await openWorkbench();
    parent = join(workbench.stateDir, 'projects');
    mkdirSync(join(parent, 'older-project'), { recursive: true });
  });
  after(async () => {
    await workbench?.close();
  });

  it('creates a trio project through the quick pick and input boxes', async () => {
    const { page } = workbench;
    // The container's icon appears once the extension's contributions are loaded; the palette lists the
    // command from then on.
    await openAsyncToolkitContainer(page);
    await runCommand(page, 'Async Toolkit: New Echo Server/Client Project…');

    // Step 1: the flavours, each with its one-line description.
    const rows = quickInput(page).locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'Python · trio' }).first().waitFor({ timeout: 30_000 });
    const labels = await rows.allInnerTexts();
    for (const label of [
      'Python · trio',
      'Python · asyncio streams',
      'Python · threading',
      'Node.js · TypeScript',
    ]) {
      assert.ok(
        labels.some((text) => text.includes(label)),
        `${label} in ${labels.join(' | ')}`,
      );
    }
    publishScreenshot(await workbench.screenshot('scaffold-flavours'), 'scaffold-flavours.png');
    await typeInto(page, 'trio');
    await rows.filter({ hasText: 'Python · trio' }).first().waitFor();
    await page.keyboard.press('Enter');

    // Step 2: the folder dialog (the workbench's own file dialog in a browser): type the path, wait until
    // the dialog lists that folder (it holds an older project), and press its button.
    await quickInput(page).getByText('the folder to create it in').waitFor({ timeout: 30_000 });
    // The dialog fills in its starting folder (the workspace) a moment after it opens: typing earlier is lost.
    const input = quickInput(page).locator('input');
    await waitUntil('the dialog to show its starting folder', async () =>
      (await input.inputValue()).endsWith('/workspace/'),
    );
    await typeInto(page, `${parent}/`);
    await rows.filter({ hasText: 'older-project' }).first().waitFor({ timeout: 30_000 });
    await quickInput(page).locator('.monaco-button', { hasText: 'Create Project Here' }).click();

    // Step 3: the name, validated as you type.
    const message = quickInput(page).locator('.quick-input-message');
    await quickInput(page)
      .getByText('The project folder, created in')
      .waitFor({ timeout: 30_000 })
      .catch(async (error) => {
        await workbench.screenshot('scaffold-no-name-step');
        throw error;
      });
    await typeInto(page, 'bad/name');
    await message.filter({ hasText: 'cannot contain "/"' }).waitFor({ timeout: 30_000 });
    await typeInto(page, 'my-echo');
    await message
      .filter({ hasText: /cannot contain/ })
      .waitFor({ state: 'detached', timeout: 30_000 })
      .catch(() => {});
    publishScreenshot(await workbench.screenshot('scaffold-name'), 'scaffold-name.png');
    await page.keyboard.press('Enter');

    // Step 4: the port, offered as 12345.
    await quickInput(page).getByText('The port the server listens on').waitFor({ timeout: 30_000 });
    await typeInto(page, '80');
    await message.filter({ hasText: 'outside 1024–65535' }).waitFor({ timeout: 30_000 });
    await typeInto(page, '23456');
    await message
      .filter({ hasText: 'outside' })
      .waitFor({ state: 'detached', timeout: 30_000 })
      .catch(() => {});
    await page.keyboard.press('Enter');

    // Then the notification with the three ways to open it. (The browser workbench here keeps new
    // notifications out of toasts, so the test opens the notification centre, where they all are.)
    const project = join(parent, 'my-echo');
    await waitUntil('the project to be written', () => existsSync(join(project, 'server.py'))).catch(
      async (error) => {
        await workbench.screenshot('scaffold-not-created');
        throw error;
      },
    );
    await runCommand(page, 'Notifications: Show Notifications');
    const notification = page.locator('.notifications-center .notification-list-item', {
      hasText: 'Created the Python · trio echo project',
    });
    await notification.waitFor({ timeout: 30_000 });
    await quickInput(page).waitFor({ state: 'hidden', timeout: 30_000 }); // the palette fades out
    const buttons = await notification.locator('.monaco-button').allInnerTexts();
    assert.deepEqual(buttons, ['Open Folder', 'Open in New Window', 'Add to Workspace']);
    publishScreenshot(await workbench.screenshot('scaffold-created'), 'scaffold-created.png');

    for (const file of ['server.py', 'client.py', 'README.md', '.vscode/launch.json', 'tests/test_echo.py']) {
      assert.ok(existsSync(join(project, file)), file);
    }
    assert.match(readFileSync(join(project, 'server.py'), 'utf8'), /DEFAULT_PORT = 23456\n/);

    // "Open Folder" opens the new project in this window.
    await notification.locator('.monaco-button', { hasText: 'Open Folder' }).click();
    await page.waitForFunction('document.title.includes("my-echo")', undefined, { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await runCommand(page, 'View: Show Explorer');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'server.py' }).first().waitFor({
      timeout: 60_000,
    });
  });
});

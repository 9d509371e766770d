import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { repositoryRoot } from '../support/repositoryRoot';
import {
  openAsyncToolkitContainer,
  openWorkbench,
  publishScreenshot,
  runCommand,
  startDebugConfiguration,
  type Workbench,
  widenSideBar,
} from './workbench';

// A user's path to "why is my program stuck": the demo's dining philosophers deadlock at once; the
// Async Tasks view's Problems row names the deadlock and its three members, and Async Stacks outlines
// their boxes. The screenshot of the view goes into the README.
describe('Workbench UI: Problems for a program that is stuck', function () {
  this.timeout(240_000);
  let workbench: Workbench | undefined;

  before(async () => {
    workbench = await openWorkbench({
      demo: true,
      extensions: [join(repositoryRoot, 'test', 'fixtures', 'debugpy-extension')],
    });
  });
  after(async () => {
    await workbench?.close();
  });

  it('names the philosophers’ deadlock under Problems and outlines their boxes in Async Stacks', async () => {
    const opened = workbench as Workbench;
    const { page } = opened;
    await startDebugConfiguration(opened, 'Python: dining philosophers (a deadlock)');
    await openAsyncToolkitContainer(page);
    const tree = page.locator('.sidebar .monaco-list').first();
    const problems = tree.locator('.monaco-list-row', { hasText: /^1 problem/ }).first();
    await problems.waitFor({ timeout: 90_000 });
    await widenSideBar(page);
    const deadlock = tree
      .locator('.monaco-list-row', { hasText: "Aristotle, Kant and Spinoza wait for each other's locks" })
      .first();
    await deadlock.waitFor({ timeout: 30_000 });
    await deadlock.locator('.monaco-tl-twistie').click();
    for (const philosopher of ['Aristotle', 'Kant', 'Spinoza'])
      await tree.locator('.monaco-list-row', { hasText: philosopher }).first().waitFor({ timeout: 30_000 });
    assert.match((await deadlock.textContent()) ?? '', /lock deadlock/);
    // Each member's row says where it waits.
    const aristotle = await tree.locator('.monaco-list-row', { hasText: 'Aristotle' }).nth(1).textContent();
    assert.match(aristotle ?? '', /dining_philosophers\.py:\d+/);
    await page.mouse.move(1300, 850);
    const path = await opened.screenshot('problems-deadlock');
    publishScreenshot(path, 'screenshot-problems.png');

    await runCommand(page, 'Async Toolkit: Show Async Stacks');
    const webview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await webview.locator('#viewport .box.problem.error').first().waitFor({ timeout: 30_000 });
    // SVG elements have no innerText: read their text content.
    const outlined = await webview
      .locator('#viewport .box.problem.error')
      .evaluateAll((boxes) => boxes.map((box) => box.textContent ?? ''));
    assert.ok(
      outlined.some((box) => box.includes('dine')),
      `the philosophers' box is outlined: ${outlined.join(' ‖ ')}`,
    );
    assert.match((await webview.locator('#status').textContent()) ?? '', /outlined/);
  });
});

import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openAsyncToolkitContainer, publishScreenshot, repositoryRoot, screenshotDir } from './workbench';

// A user's path with Python: open the demo workspace, start "Python: asyncio order pipeline" from the
// debug picker, let it stop at breakpoint(), open the Async Tasks view and expand two groups. The
// screenshot goes into the README. The `debugpy` debug type comes from the test-only extension
// (test/fixtures/debugpy-extension), installed in the server's extensions folder before it starts: the
// workbench takes one development extension from its URL, the one under test.
interface CodeServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}
const importScript = <T>(name: string) =>
  import(join(repositoryRoot, 'scripts', 'test-host', name)) as Promise<T>;

describe('Workbench UI: Async Tasks view with a real Python program', function () {
  this.timeout(240_000);
  let stateDir: string;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async () => {
    const { startCodeServer, workbenchUrl } = await importScript<{
      startCodeServer(options: { stateDir: string }): Promise<CodeServer>;
      workbenchUrl(
        server: CodeServer,
        options: { folder: string; extensionDevelopmentPaths: string[] },
      ): string;
    }>('codeServer.mjs');
    const { launchBrowser } = await importScript<{ launchBrowser(): Promise<Browser> }>('browser.mjs');
    stateDir = mkdtempSync(join(tmpdir(), 'async-toolkit-e2e-python-'));
    const folder = join(stateDir, 'demo');
    cpSync(join(repositoryRoot, 'demo'), folder, { recursive: true });
    mkdirSync(join(stateDir, 'extensions'), { recursive: true });
    cpSync(
      join(repositoryRoot, 'test', 'fixtures', 'debugpy-extension'),
      join(stateDir, 'extensions', 'async-toolkit-tests.test-debugpy-0.0.1'),
      { recursive: true },
    );
    server = await startCodeServer({ stateDir });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(workbenchUrl(server, { folder, extensionDevelopmentPaths: [repositoryRoot] }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });
  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('shows asyncio tasks grouped by what they await while the program is stopped', async () => {
    const name = 'Python: asyncio order pipeline';
    const configuration = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
    for (let attempt = 0; ; attempt++) {
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(`debug ${name}`);
      const shown = await configuration.waitFor({ timeout: 3000 }).then(
        () => true,
        () => false,
      );
      if (shown) break;
      await page.keyboard.press('Escape');
      if (attempt === 20) throw new Error('the demo launch configuration never appeared in Quick Open');
    }
    await configuration.click();
    await openAsyncToolkitContainer(page);
    const tree = page.locator('.sidebar .monaco-list').first();
    await tree
      .locator('.monaco-list-row', { hasText: 'Lock.acquire()' })
      .first()
      .waitFor({ timeout: 90_000 });
    // For the picture: no panel, a wide side bar, two groups open.
    await page.keyboard.press('Control+J');
    const sideBar = await page.locator('.part.sidebar').boundingBox();
    if (sideBar) {
      await page.mouse.move(sideBar.x + sideBar.width + 1, sideBar.y + 300);
      await page.mouse.down();
      await page.mouse.move(760, sideBar.y + 300, { steps: 10 });
      await page.mouse.up();
    }
    for (const label of ['Queue.get()', 'loop.run_in_executor()']) {
      await tree
        .locator('.monaco-list-row', { hasText: label })
        .first()
        .locator('.monaco-tl-twistie')
        .click();
    }
    // Each expanded group renders its children on its own schedule: wait for one child of each.
    for (const child of ['packer-0', 'nightly-report']) {
      await tree.locator('.monaco-list-row', { hasText: child }).first().waitFor({ timeout: 30_000 });
    }
    const rows = await tree.locator('.monaco-list-row').allInnerTexts();
    for (const expected of [
      'Lock.acquire()',
      'Queue.get()',
      'asyncio.gather() — 2 of 2 pending',
      'nightly-report',
    ]) {
      assert.ok(
        rows.some((row) => row.includes(expected)),
        `${expected} in ${rows.join(' | ')}`,
      );
    }
    await page.mouse.move(1300, 850);
    mkdirSync(screenshotDir, { recursive: true });
    const path = join(screenshotDir, 'tasks-view-python.png');
    await page.screenshot({ path });
    publishScreenshot(path, 'screenshot-python-tasks.png');
  });
});

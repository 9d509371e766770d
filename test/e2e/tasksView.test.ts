import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openAsyncToolkitContainer,
  openWorkbench,
  publishScreenshot,
  repositoryRoot,
  type Workbench,
} from './workbench';

// A user's path: open the demo workspace, start "Node: stuck requests" from the debug picker, let it
// pause, open the Async Tasks view, expand the biggest group. The screenshot goes into the README.
describe('Workbench UI: Async Tasks view with a real Node program', function () {
  this.timeout(240_000);
  let workbench: Workbench | undefined;
  let copy: string;

  before(async () => {
    // A copy of the demo workspace: the test leaves nothing in the repository's demo folder.
    copy = mkdtempSync(join(tmpdir(), 'async-toolkit-demo-'));
    cpSync(join(repositoryRoot, 'demo'), copy, { recursive: true });
    workbench = await openWorkbench({ folder: copy });
  });
  after(async () => {
    await workbench?.close();
    rmSync(copy, { recursive: true, force: true });
  });

  it('shows pending tasks grouped by creation site while the program is paused', async () => {
    const { page } = workbench as Workbench;
    // Quick Open's "debug " prefix lists the workspace's launch configurations, once the workbench has
    // read launch.json and js-debug's debuggers are registered: ask again until the configuration shows.
    const configuration = page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'Node: stuck requests' })
      .first();
    for (let attempt = 0; ; attempt++) {
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill('debug Node: stuck requests');
      if (
        await configuration.waitFor({ timeout: 3000 }).then(
          () => true,
          () => false,
        )
      )
        break;
      await page.keyboard.press('Escape');
      if (attempt === 20) {
        await (workbench as Workbench).screenshot('tasks-view-no-launch-configuration');
        throw new Error('the demo launch configuration never appeared in Quick Open');
      }
    }
    await configuration.click();
    await openAsyncToolkitContainer(page);
    const tree = page.locator('.sidebar .monaco-list').first();
    const group = tree.locator('.monaco-list-row', { hasText: 'async placeOrder' }).first();
    await group.waitFor({ timeout: 90_000 });
    // For the picture: a wide side bar, no panel, and a small group and the handles expanded.
    await page.keyboard.press('Control+J');
    const sideBar = await page.locator('.part.sidebar').boundingBox();
    if (sideBar) {
      const edge = sideBar.x + sideBar.width + 1;
      await page.mouse.move(edge, sideBar.y + 300);
      await page.mouse.down();
      await page.mouse.move(760, sideBar.y + 300, { steps: 10 });
      await page.mouse.up();
    }
    for (const label of ['Keeping the program alive', 'async refreshPrices']) {
      await tree
        .locator('.monaco-list-row', { hasText: label })
        .first()
        .locator('.monaco-tl-twistie')
        .click();
    }
    await tree
      .locator('.monaco-list-row', { hasText: 'PROMISE · pending' })
      .first()
      .waitFor({ timeout: 30_000 });
    await tree.locator('.monaco-list-row', { hasText: 'server listening on 127.0.0.1' }).first().waitFor();
    const rows = await tree.locator('.monaco-list-row').allInnerTexts();
    assert.ok(
      rows.some((row) => /stuckRequests\.js \[\d+\]/.test(row)),
      `a row for the process: ${rows.join(' | ')}`,
    );
    assert.ok(
      rows.some((row) => /Keeping the program alive/.test(row)),
      rows.join(' | '),
    );
    await page.mouse.move(1300, 850);
    const path = await (workbench as Workbench).screenshot('tasks-view-node');
    publishScreenshot(path, 'screenshot-tasks-view.png');
  });
});

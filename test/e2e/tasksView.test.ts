import * as assert from 'node:assert/strict';
import {
  openAsyncToolkitContainer,
  openWorkbench,
  publishScreenshot,
  startDebugConfiguration,
  type Workbench,
  widenSideBar,
} from './workbench';

// A user's path: open the demo workspace, start "Node: stuck requests" from the debug picker, let it
// pause, open the Async Tasks view, expand the biggest group. The screenshot goes into the README.
describe('Workbench UI: Async Tasks view with a real Node program', function () {
  this.timeout(240_000);
  let workbench: Workbench | undefined;

  before(async () => {
    workbench = await openWorkbench({ demo: true });
  });
  after(async () => {
    await workbench?.close();
  });

  it('shows pending tasks grouped by creation site while the program is paused', async () => {
    const { page } = workbench as Workbench;
    await startDebugConfiguration(workbench as Workbench, 'Node: stuck requests');
    await openAsyncToolkitContainer(page);
    const tree = page.locator('.sidebar .monaco-list').first();
    const group = tree.locator('.monaco-list-row', { hasText: 'async placeOrder' }).first();
    await group.waitFor({ timeout: 90_000 });
    // For the picture: a wide side bar, no panel, and a small group and the handles expanded.
    await widenSideBar(page);
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

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
// pause, open the Async Tasks view, expand the stuck orders, one of them and its stack. The screenshot
// goes into the README.
describe('Workbench UI: Async Tasks view with a real Node program', function () {
  this.timeout(240_000);
  let workbench: Workbench | undefined;

  before(async () => {
    workbench = await openWorkbench({ demo: true });
  });
  after(async () => {
    await workbench?.close();
  });

  it('shows the stuck orders as operations merged by their stack while the program is paused', async () => {
    const { page } = workbench as Workbench;
    await startDebugConfiguration(workbench as Workbench, 'Node: stuck requests');
    await openAsyncToolkitContainer(page);
    const tree = page.locator('.sidebar .monaco-list').first();
    const stuck = tree.locator('.monaco-list-row', { hasText: '× waitForWarehouse ← placeOrder' }).first();
    await stuck.waitFor({ timeout: 90_000 });
    // What a newcomer sees first, at the default side-bar width: the count and the stack lead.
    const narrow = await tree.locator('.monaco-list-row').allInnerTexts();
    assert.ok(
      narrow.some((row) => /^\d+ × waitForWarehouse ← placeOrder/.test(row)),
      `the count leads the group's label: ${narrow.join(' | ')}`,
    );
    await (workbench as Workbench).screenshot('tasks-view-node-default-width');
    // For the picture: a wide side bar, no panel; the stuck orders, one of them, and the handles expanded.
    await widenSideBar(page);
    await stuck.locator('.monaco-tl-twistie').click();
    const operation = tree.locator('.monaco-list-row', { hasText: /placeOrder\s*\d[^·]*s · / }).first();
    await operation.waitFor({ timeout: 30_000 });
    await operation.locator('.monaco-tl-twistie').click();
    await tree.locator('.monaco-list-row', { hasText: 'stuckRequests.js:' }).first().waitFor();
    await tree
      .locator('.monaco-list-row', { hasText: 'Keeping the program alive' })
      .first()
      .locator('.monaco-tl-twistie')
      .click();
    await tree.locator('.monaco-list-row', { hasText: 'server listening on 127.0.0.1' }).first().waitFor();
    const rows = await tree.locator('.monaco-list-row').allInnerTexts();
    assert.ok(
      rows.some((row) => /stuckRequests\.js \[\d+\]/.test(row)),
      `a row for the process: ${rows.join(' | ')}`,
    );
    assert.ok(
      rows.some((row) => /new Promise — resolver not called yet · oldest/.test(row)),
      `the group says what its operations wait on: ${rows.join(' | ')}`,
    );
    assert.ok(
      rows.some((row) => /^placeOrder\s*stuckRequests\.js:\d+/.test(row)),
      `the operation's frames: ${rows.join(' | ')}`,
    );
    await page.mouse.move(1300, 850);
    const path = await (workbench as Workbench).screenshot('tasks-view-node');
    publishScreenshot(path, 'screenshot-tasks-view.png');
  });
});

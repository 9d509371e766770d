import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { repositoryRoot } from '../support/repositoryRoot';
import {
  openAsyncToolkitContainer,
  openWorkbench,
  publishScreenshot,
  startDebugConfiguration,
  type Workbench,
  widenSideBar,
} from './workbench';

// A user's path with Python: open the demo workspace, start "Python: asyncio order pipeline" from the
// debug picker, let it stop at breakpoint(), open the Async Tasks view and expand two groups. The
// screenshot goes into the README. The `debugpy` debug type comes from the test-only extension
// (test/fixtures/debugpy-extension), installed in the server's extensions folder before it starts: the
// workbench takes one development extension from its URL, the one under test.
describe('Workbench UI: Async Tasks view with a real Python program', function () {
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

  it('shows asyncio tasks grouped by what they await while the program is stopped', async () => {
    const { page } = workbench as Workbench;
    await startDebugConfiguration(workbench as Workbench, 'Python: asyncio order pipeline');
    await openAsyncToolkitContainer(page);
    const tree = page.locator('.sidebar .monaco-list').first();
    await tree
      .locator('.monaco-list-row', { hasText: 'Lock.acquire()' })
      .first()
      .waitFor({ timeout: 90_000 });
    // For the picture: no panel, a wide side bar, two groups open.
    await widenSideBar(page);
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
    for (const expected of ['Lock.acquire()', 'Queue.get()', 'asyncio.gather()', 'nightly-report']) {
      assert.ok(
        rows.some((row) => row.includes(expected)),
        `${expected} in ${rows.join(' | ')}`,
      );
    }
    await page.mouse.move(1300, 850);
    const path = await (workbench as Workbench).screenshot('tasks-view-python');
    publishScreenshot(path, 'screenshot-python-tasks.png');
  });
});

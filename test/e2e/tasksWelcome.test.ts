import * as assert from 'node:assert/strict';
import { openAsyncToolkitContainer, openWorkbench, publishScreenshot, type Workbench } from './workbench';

describe('Workbench UI: the Async Toolkit container', function () {
  this.timeout(180_000);
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench();
  });
  after(async () => {
    await workbench?.close();
  });

  it('shows the Async Tasks view with its welcome text when nothing is being debugged', async () => {
    const { page } = workbench;
    await openAsyncToolkitContainer(page);
    const welcome = page.locator('.welcome-view-content', { hasText: 'No async tasks to show yet.' });
    await welcome.waitFor({ timeout: 30_000 });
    assert.equal(await welcome.isVisible(), true);
    const buttons = await welcome.locator('.monaco-button').allInnerTexts();
    assert.ok(
      buttons.some((text) => text.includes('Start Debugging')),
      `buttons: ${buttons.join(', ')}`,
    );
    publishScreenshot(await workbench.screenshot('tasks-view-welcome'), 'screenshot-welcome.png');
  });
});

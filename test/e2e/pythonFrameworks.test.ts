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

// A user's path with a real framework: the demo's aiohttp service paused with hanging requests
// (Debian's python3-aiohttp, run by the test-only `debugpy` debugger type). The view groups the
// handlers by their own wait and the clients by the library call they are in, with the server's
// address; the screenshot goes into the README.
describe('Workbench UI: Async Tasks view on an aiohttp server with hanging requests', function () {
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

  it('groups the hanging handlers and clients by what they wait on, in the words of the code', async () => {
    const { page } = workbench as Workbench;
    await startDebugConfiguration(workbench as Workbench, 'Python: aiohttp server with hanging requests');
    await openAsyncToolkitContainer(page);
    const tree = page.locator('.sidebar .monaco-list').first();
    await tree
      .locator('.monaco-list-row', { hasText: 'ClientResponse.start()' })
      .first()
      .waitFor({ timeout: 90_000 });
    await widenSideBar(page);
    for (const label of ['Event.wait()', 'Request.read()']) {
      await tree
        .locator('.monaco-list-row', { hasText: label })
        .first()
        .locator('.monaco-tl-twistie')
        .click();
    }
    await tree.locator('.monaco-list-row', { hasText: 'Task-' }).first().waitFor({ timeout: 30_000 });
    const rows = await tree.locator('.monaco-list-row').allInnerTexts();
    for (const expected of [
      'ClientResponse.start() — socket read from 127.0.0.1:',
      'Event.wait()',
      'TCPConnector.connect() — waiting for a free connection',
      'Request.read() — socket read on 127.0.0.1:',
    ]) {
      assert.ok(
        rows.some((row) => row.includes(expected)),
        `${expected} in ${rows.join(' | ')}`,
      );
    }
    await page.mouse.move(1300, 850);
    const path = await (workbench as Workbench).screenshot('tasks-view-python-aiohttp');
    publishScreenshot(path, 'screenshot-python-aiohttp.png');
  });
});

import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { repositoryRoot } from '../support/repositoryRoot';
import {
  openAsyncToolkitContainer,
  openWorkbench,
  pickFromQuickInput,
  publishScreenshot,
  runCommand,
  screenshotDir,
  startDebugConfiguration,
  type Workbench,
} from './workbench';

// A user's path through the Async Stacks panel: open the demo workspace, open the panel with no
// session (it says so), debug the demo's Node program, its asyncio pipeline and its trio echo server
// in turn; each time the panel follows the new session, and the test reads the boxes and their counts
// in the real webview, clicks a line and checks where the editor went, and saves screenshots (dark,
// then light). The `debugpy` debug type comes from the test-only extension, installed into the
// server's extensions folder before it starts.
/** A box of the picture as the test reads it from the webview's DOM. */
interface DrawnBox {
  id: string;
  kind: string;
  badge: string;
  text: string;
}

describe('Workbench UI: Async Stacks panel with real Node, asyncio and trio programs', function () {
  this.timeout(600_000);
  let workbench: Workbench;
  let stateDir: string;
  let page: Page;

  before(async () => {
    workbench = await openWorkbench({
      demo: true,
      extensions: [join(repositoryRoot, 'test', 'fixtures', 'debugpy-extension')],
    });
    ({ page, stateDir } = workbench);
  });
  afterEach(async function () {
    // What the workbench showed when a step failed: the first thing to look at.
    if (this.currentTest?.state === 'failed') {
      await shoot(`async-stacks-failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(
        () => {},
      );
      // The next test starts from no session and no open quick input, as it would after a pass: a
      // session left running would be the one the panel follows, and fail the tests after it too.
      await page.keyboard.press('Escape').catch(() => {});
      await stopDebugging().catch(() => {});
    }
  });
  after(async () => {
    await workbench?.close();
  });

  /** The panel's page: code-server nests the webview's document in two iframes. */
  const webview = (): FrameLocator =>
    page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

  async function boxes(): Promise<DrawnBox[]> {
    return webview()
      .locator('#viewport .box')
      .evaluateAll((elements) =>
        elements.map((element) => ({
          id: element.getAttribute('data-id') ?? '',
          kind: element.classList.contains('more')
            ? 'more'
            : element.classList.contains('group')
              ? 'group'
              : 'frames',
          badge: element.querySelector('.badge text')?.textContent ?? '',
          text: [...element.querySelectorAll(':scope > g > text')]
            .map((text) => text.textContent)
            .join(' | '),
        })),
      );
  }

  /** The box whose lines include `text`, and the count on its badge. */
  async function box(text: string): Promise<DrawnBox> {
    const found = (await boxes()).find((drawn) => drawn.text.includes(text));
    assert.ok(found, `a box with “${text}” in ${(await boxes()).map((drawn) => drawn.text).join(' ‖ ')}`);
    return found;
  }

  async function waitForBox(text: string, timeout = 90_000): Promise<void> {
    await webview().locator('#viewport .box', { hasText: text }).first().waitFor({ timeout });
  }

  async function startDebugging(name: string): Promise<void> {
    await startDebugConfiguration(workbench, name);
  }

  /** Stops every debug session with the debug toolbar's stop button, as a user would. */
  async function stopDebugging(): Promise<void> {
    const toolbar = page.locator('.debug-toolbar');
    const stop = toolbar
      .locator('.action-label.codicon-debug-stop, .action-label.codicon-debug-disconnect')
      .first();
    for (let attempt = 0; attempt < 10 && (await toolbar.isVisible()); attempt++) {
      await stop.click().catch(() => {});
      await toolbar.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    }
    assert.equal(await toolbar.isVisible(), false, 'every debug session stopped');
  }

  /** Waits until the program stopped and the Async Tasks view shows a row with `text`. */
  async function waitForStop(text: string): Promise<void> {
    // Clicking the container's icon while it shows would close the side bar.
    const shown = await page.locator('.sidebar .composite.title', { hasText: /Async Tasks/i }).count();
    if (!shown) await openAsyncToolkitContainer(page);
    const tree = page.locator('.sidebar .monaco-list').first();
    await tree.locator('.monaco-list-row', { hasText: text }).first().waitFor({ timeout: 90_000 });
  }

  async function showPanel(): Promise<void> {
    await runCommand(page, 'Async Toolkit: Show Async Stacks');
  }

  /** The editor showing `file` (its group's active tab) and its cursor line, from the line numbers. */
  async function editorPosition(file: string): Promise<{ file: string; line: number }> {
    const group = page.locator('.editor-group-container', {
      has: page.locator(`.tab.active[aria-label^="${file}"]`),
    });
    if (!(await group.count())) return { file: '', line: 0 };
    const line =
      (await group.first().locator('.line-numbers.active-line-number').first().textContent()) ?? '';
    return { file, line: Number(line.trim()) };
  }

  async function expectEditorAt(file: string, line: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    let seen = { file: '', line: 0 };
    while (Date.now() < deadline) {
      seen = await editorPosition(file).catch(() => seen);
      if (seen.file === file && seen.line === line) return;
      await page.waitForTimeout(250);
    }
    assert.deepEqual(seen, { file, line }, 'the editor opened the clicked line');
  }

  /** Clicks the line of a box that names `functionName` (a frame row opens that frame). */
  async function clickFrame(functionName: string): Promise<void> {
    // As a user finds a box in a picture bigger than the panel: search pans to it.
    await webview().locator('#search').fill(functionName);
    await webview().locator('#search').fill('');
    await webview()
      .locator('#viewport .box .row', { has: webview().locator(`text.fn >> text="${functionName}"`) })
      .first()
      .click();
  }

  async function shoot(name: string, mediaName?: string): Promise<void> {
    await page.mouse.move(5, 890);
    mkdirSync(screenshotDir, { recursive: true });
    const path = join(screenshotDir, `${name}.png`);
    await page.screenshot({ path });
    if (mediaName) publishScreenshot(path, mediaName);
  }

  /**
   * The picture for the README at the default editor sizes, without the bottom panel (the terminal);
   * then the workbench as it was.
   */
  async function pictureShot(name: string, mediaName: string): Promise<void> {
    // Keys typed while the webview has focus go to it, not to the workbench: focus the code first.
    await page.locator('.tab:not(:has-text("Async Stacks"))').first().click();
    const panelShown = await page.locator('.part.panel').isVisible();
    if (panelShown) await clickCommand('View: Hide Panel');
    await page.waitForTimeout(800);
    await shoot(name, mediaName);
    if (panelShown) await clickCommand('View: Toggle Panel Visibility');
  }

  /** Runs a command from the palette by clicking its row (Enter would take whichever row is first). */
  async function clickCommand(title: string): Promise<void> {
    await pickFromQuickInput(page, { key: 'F1', text: `>${title}`, row: title });
  }

  async function setTheme(label: string): Promise<void> {
    await clickCommand('Preferences: Color Theme');
    const input = page.locator('.quick-input-widget input');
    await input.fill(label);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  it('says there is no debug session when opened from the command palette before debugging', async () => {
    // The development extension's commands reach the palette a few seconds after the workbench shows:
    // the palette is asked again until they do.
    const title = 'Async Toolkit: Show Async Stacks';
    await pickFromQuickInput(page, { key: 'F1', text: `>${title}`, row: title, pick: 'enter', attempts: 30 });
    const message = webview().locator('#message h2');
    await message.waitFor({ timeout: 60_000 });
    assert.equal((await message.textContent()) ?? '', 'No debug session');
  });

  it('draws the Node demo’s operations merged by their stack and opens a clicked line', async () => {
    await startDebugging('Node: stuck requests');
    await waitForStop('× waitForWarehouse ← placeOrder');
    // This time from the Async Tasks view's title bar: the open panel comes forward beside the code.
    await page
      .locator('.sidebar .title-actions .action-label[aria-label="Show Async Stacks"]')
      .first()
      .click();
    await waitForBox('waitForWarehouse');
    // Counts: each root box's badge counts the tasks below it; together they are every drawn task.
    const status = (await webview().locator('#status .title').textContent()) ?? '';
    const total = Number(/: ([\d,]+) tasks/.exec(status)?.[1].replace(/,/g, ''));
    const notes = (await webview().locator('#status').textContent()) ?? '';
    assert.match(notes, /where each task is suspended now/, 'operations are drawn where they wait');
    const withoutStack = Number(/([\d,]+) tasks? without a stack/.exec(notes)?.[1] ?? 0);
    // Each box: who started its operations (takeOrders, from one of the server's callbacks), then
    // placeOrder at one of its two awaits. Which batches still wait at which await depends on timing, so
    // boxes may or may not share their callers.
    const drawn = await boxes();
    assert.ok(
      drawn.some((drawnBox) => drawnBox.text.includes('takeOrders')),
      'who started them is drawn',
    );
    assert.ok(drawn.some((drawnBox) => drawnBox.text.includes('waitForWarehouse')));
    assert.ok(drawn.some((drawnBox) => drawnBox.text.includes('lookUpCustomer')));
    const rootCounts = await rootBadges();
    assert.equal(
      rootCounts.reduce((sum, count) => sum + count, 0),
      total - withoutStack,
      `root boxes ${rootCounts.join(' + ')} hold every task with a stack (${total} − ${withoutStack})`,
    );
    await clickFrame('placeOrder');
    const placeOrder = await box('placeOrder');
    // The box's rows read "function | file:line", callers first: placeOrder's own line.
    const line = Number(/placeOrder \| stuckRequests\.js:(\d+)/.exec(placeOrder.text)?.[1]);
    await expectEditorAt('stuckRequests.js', line);
    await pictureShot('async-stacks-node-dark', 'screenshot-async-stacks-node.png');
    await stopDebugging();
  });

  /** The badges of boxes no edge points to. */
  async function rootBadges(): Promise<number[]> {
    return webview()
      .locator('#picture')
      .evaluate((svg) => {
        const targets = new Set<string>();
        // Edges are drawn in the order of the graph's edges; the boxes carry their ids.
        const boxesById = new Map(
          [...svg.querySelectorAll('.box')].map((element) => [element.getAttribute('data-id'), element]),
        );
        for (const path of svg.querySelectorAll('.edge')) targets.add(path.getAttribute('data-to') ?? '');
        return [...boxesById]
          .filter(([id]) => !targets.has(id ?? ''))
          .map(([, element]) =>
            Number((element.querySelector('.badge text')?.textContent ?? '0').replace(/[+,]/g, '')),
          );
      });
  }

  it('draws the asyncio pipeline: the TaskGroup, its workers merged with counts, and what they await', async () => {
    await startDebugging('Python: asyncio order pipeline');
    await waitForStop('Lock.acquire()');
    await showPanel();
    await waitForBox('fetcher');
    // The README's picture: what a user sees first, before anything is clicked.
    await pictureShot('async-stacks-asyncio-dark', 'screenshot-async-stacks-asyncio.png');
    // Read by what the demo's structure makes certain at its first stop (order_pipeline.py's docstring).
    assert.equal((await box('fetcher')).badge, '5', 'five fetchers share one box');
    assert.equal((await box('Lock.acquire()')).badge, '4', 'four of them queue on the lock');
    assert.match((await box('Lock.acquire()')).text, /ask_supplier/);
    assert.equal((await box('Queue.get()')).badge, '3', 'three packers wait on the queue');
    assert.equal((await box('look_up_price')).badge, '2', 'the gather’s two lookups, under the refresher');
    const group = await box('TaskGroup');
    assert.equal(group.kind, 'group');
    assert.match(group.text, /10 tasks/);
    const spawns = await webview().locator('#viewport .edge.spawns').count();
    assert.equal(spawns, 4, 'the TaskGroup spawns four kinds of worker');
    assert.equal(
      await webview().locator('#viewport .edge.awaits').count(),
      1,
      'the refresher awaits its gather',
    );
    await clickFrame('packer');
    await expectEditorAt('order_pipeline.py', 37);

    // The keyboard: the clicked box has focus; up goes to its caller (the TaskGroup), then to main.
    const focused = () =>
      webview()
        .locator('#viewport .box:focus')
        .evaluate((element) => element.textContent ?? '');
    await webview().locator('#viewport .box', { hasText: 'packer' }).first().focus();
    await page.keyboard.press('ArrowUp');
    assert.match(await focused(), /TaskGroup/);
    await page.keyboard.press('ArrowUp');
    assert.match(await focused(), /main/);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const fetcherFocused = await focused();
    await page.keyboard.press('Enter');
    const expectedLine = Number(
      /order_pipeline\.py:(\d+)(?!.*order_pipeline\.py:)/.exec(fetcherFocused)?.[1],
    );
    assert.ok(expectedLine > 0, `a line in ${fetcherFocused}`);
    await expectEditorAt('order_pipeline.py', expectedLine);

    // Search highlights; the hover lists the tasks of a box.
    await webview().locator('#search').fill('supplier');
    assert.equal(await webview().locator('#viewport .box.match').count(), 2);
    await webview().locator('#search').fill('fetcher'); // brings the box into view
    await webview().locator('#search').fill('');
    await webview().locator('#viewport .box', { hasText: 'fetcher' }).first().hover();
    const hover = (await webview().locator('#tooltip').textContent()) ?? '';
    assert.match(hover, /5 tasks/);
    assert.match(hover, /fetcher-0/);
  });

  it('exports the picture as SVG through the save dialog, which asks before replacing a file', async () => {
    const target = join(stateDir, 'exports', 'pipeline.svg');
    mkdirSync(join(stateDir, 'exports'), { recursive: true });
    let written = '';
    for (const attempt of ['first', 'again']) {
      await webview().locator('#export').click();
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 20_000 });
      // The simple file dialog fills in its default path once it has listed the folder: type after that.
      await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 20_000 });
      await page.waitForTimeout(500);
      await input.fill(target);
      await page.waitForTimeout(1000);
      assert.equal(await input.inputValue(), target);
      await page.keyboard.press('Enter');
      if (attempt === 'first') {
        await page
          .locator('.notification-toast, .notifications-center', { hasText: 'Async Stacks exported to' })
          .first()
          .waitFor({ timeout: 20_000 })
          .catch(() => {});
        const deadline = Date.now() + 20_000;
        while (!existsSync(target) && Date.now() < deadline) await page.waitForTimeout(200);
        const svg = readFileSync(target, 'utf8');
        assert.match(svg, /^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
        assert.match(svg, />fetcher</);
        assert.doesNotMatch(svg, /var\(--/, 'theme colours are resolved in the file');
        written = readFileSync(target, 'utf8');
      } else {
        // The same name again: VS Code's dialog asks to replace it; say no.
        const question = page.locator('.monaco-dialog-box, .quick-input-widget', {
          hasText: /already exists|replace/i,
        });
        await question.first().waitFor({ timeout: 20_000 });
        await page.keyboard.press('Escape');
        await page.keyboard.press('Escape');
      }
    }
    await page.waitForTimeout(1000);
    assert.equal(readFileSync(target, 'utf8'), written, 'the file was not replaced');
  });

  it('greys the picture while the program runs and redraws it at the next stop; keeps the search when hidden and shown', async () => {
    await webview().locator('#search').fill('packer');
    await page.locator('.debug-toolbar .action-label.codicon-debug-continue').first().click();
    await webview().locator('body.stale').waitFor({ timeout: 20_000 });
    await shoot('async-stacks-asyncio-stale');
    // The program stops again two seconds later: a new snapshot, drawn in full colour.
    await webview().locator('body:not(.stale)').waitFor({ timeout: 30_000 });
    // Hide the panel behind another editor in its group, then show it again.
    const tab = page.locator('.tab', { hasText: 'Async Stacks' }).first();
    // Quick Open; a keypress right after the click can still reach the webview, which keeps it: the
    // click comes before each try.
    await tab.click();
    await pickFromQuickInput(page, { key: 'Control+P', text: 'README.md', row: 'README.md' });
    await page.locator('.editor-group-container.active .tab.active', { hasText: 'README.md' }).waitFor();
    assert.equal(await page.locator('iframe.webview.ready').count(), 0, 'the hidden panel’s webview is gone');
    await tab.click();
    await waitForBox('packer');
    assert.equal(await webview().locator('#search').inputValue(), 'packer');
    assert.equal(await webview().locator('#viewport .box.match').count(), 1);
    await webview().locator('#search').fill('');
    await stopDebugging();
  });

  it('draws the trio echo server: nurseries between owners and children, three clients merged', async () => {
    // A fresh start, as a user would have it: no editors, then the panel opened beside the stop.
    await clickCommand('View: Close All Editor Groups');
    await startDebugging('Python: trio echo server and clients');
    await waitForStop('trio.sleep(1)');
    await showPanel();
    await waitForBox('sender');
    await pictureShot('async-stacks-trio-dark', 'screenshot-async-stacks-trio.png');
    // The theme changes under the open picture: it follows at once.
    await setTheme('Light Modern');
    await page.waitForTimeout(1000);
    await shoot('async-stacks-trio-light', 'screenshot-async-stacks-trio-light.png');
    await setTheme('Dark Modern');
    assert.equal((await box('client')).badge, '3');
    assert.equal((await box('sender')).badge, '3');
    assert.match((await box('sender')).text, /trio\.sleep\(1\)/);
    assert.equal((await box('receiver')).badge, '3');
    assert.equal((await box('echo_server')).badge, '3');
    const nurseries = (await boxes()).filter((drawn) => drawn.kind === 'group');
    assert.ok(
      nurseries.some((nursery) => /Nursery ×3/.test(nursery.text)),
      'the clients’ three nurseries merge',
    );
    await clickFrame('sender');
    await expectEditorAt('trio_echo.py', 37);
    await setTheme('Dark High Contrast');
    await page.waitForTimeout(1000);
    await shoot('async-stacks-trio-high-contrast');
    await setTheme('Dark Modern');
  });
});

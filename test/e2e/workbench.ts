// Opens the real VS Code workbench (code-server) in Chromium with the extension loaded, for UI tests
// that click, type and take screenshots as a user would.
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { repositoryRoot } from '../support/repositoryRoot';

export const screenshotDir = join(repositoryRoot, 'test-results', 'screenshots');

interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  stop(): Promise<void>;
}
interface CodeServerModule {
  startCodeServer(options: { stateDir: string; env?: Record<string, string> }): Promise<CodeServer>;
  workbenchUrl(
    server: CodeServer,
    options: { folder?: string; extensionDevelopmentPaths?: string[] },
  ): string;
}
interface BrowserModule {
  launchBrowser(): Promise<Browser>;
}

export interface Workbench {
  page: Page;
  /** A folder for the test's files, removed by close(). */
  stateDir: string;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

// The test host modules are ES modules shared with the scripts; load them as such.
const importScript = <T>(name: string) =>
  import(join(repositoryRoot, 'scripts', 'test-host', name)) as Promise<T>;

/**
 * Starts code-server with the extension under development and opens a folder in a 1400×900 page: an
 * empty `workspace` folder, or with `demo` a copy of the demo workspace (the test leaves nothing in the
 * repository's), both in the state folder that close() removes.
 * `extensions`: folders of helper extensions (test/fixtures/debugpy-extension) to install before the
 * server starts: the workbench takes one development extension from its URL, the one under test.
 */
export async function openWorkbench(
  options: { demo?: boolean; env?: Record<string, string>; extensions?: string[] } = {},
): Promise<Workbench> {
  const { startCodeServer, workbenchUrl } = await importScript<CodeServerModule>('codeServer.mjs');
  const { launchBrowser } = await importScript<BrowserModule>('browser.mjs');
  const stateDir = mkdtempSync(join(tmpdir(), 'async-toolkit-e2e-'));
  const folder = join(stateDir, options.demo ? 'demo' : 'workspace');
  if (options.demo) cpSync(join(repositoryRoot, 'demo'), folder, { recursive: true });
  else mkdirSync(folder);
  for (const extension of options.extensions ?? []) {
    // Named as an installed extension's folder is: <publisher>.<name>-<version>.
    const { publisher, name, version } = JSON.parse(readFileSync(join(extension, 'package.json'), 'utf8'));
    cpSync(extension, join(stateDir, 'extensions', `${publisher}.${name}-${version}`), { recursive: true });
  }
  const server = await startCodeServer({ stateDir, env: options.env });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(workbenchUrl(server, { folder, extensionDevelopmentPaths: [repositoryRoot] }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const openedBrowser = browser;
    return {
      page,
      stateDir,
      async screenshot(name) {
        mkdirSync(screenshotDir, { recursive: true });
        const path = join(screenshotDir, `${name}.png`);
        await page.screenshot({ path });
        return path;
      },
      async close() {
        await openedBrowser.close().catch(() => {});
        await server.stop();
        rmSync(stateDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close().catch(() => {});
    await server.stop();
    rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Copies a screenshot into media/ for the README — only when ASYNC_TOOLKIT_UPDATE_SCREENSHOTS=1, so
 * that running the tests never changes tracked files.
 */
export function publishScreenshot(path: string, mediaName: string): void {
  if (process.env.ASYNC_TOOLKIT_UPDATE_SCREENSHOTS === '1')
    copyFileSync(path, join(repositoryRoot, 'media', mediaName));
}

/**
 * Opens the quick input with `key`, types `text` and picks the row showing `row`: by clicking it, or with
 * Enter (which takes the first row). The quick input closes as soon as focus leaves it — a webview that
 * takes focus while it lays out after the panel hides, a notification — and then a later step waits for
 * an input that is gone: each step gets a few seconds, and the whole is tried again from the key.
 */
export async function pickFromQuickInput(
  page: Page,
  options: {
    key: 'F1' | 'Control+P';
    text: string;
    row: string;
    pick?: 'click' | 'enter';
    attempts?: number;
  },
): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: options.row }).first();
  const attempts = options.attempts ?? 20;
  for (let attempt = 1; ; attempt++) {
    try {
      if (await widget.isVisible()) await page.keyboard.press('Escape');
      await page.keyboard.press(options.key);
      await input.waitFor({ timeout: 5000 });
      await input.fill(options.text, { timeout: 5000 });
      await row.waitFor({ timeout: 3000 });
      if (options.pick === 'enter') await page.keyboard.press('Enter');
      else await row.click({ timeout: 5000 });
      return;
    } catch (error) {
      if (attempt >= attempts)
        throw new Error(`“${options.row}” could not be picked after ${attempts} tries: ${error}`);
    }
  }
}

/** Runs a command through the command palette, as a user would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await pickFromQuickInput(page, { key: 'F1', text: `>${title}`, row: title, pick: 'enter' });
}

/** Opens the Async Toolkit container from its activity-bar icon. */
export async function openAsyncToolkitContainer(page: Page): Promise<void> {
  const item = page.locator('.activitybar .action-item a[aria-label^="Async Toolkit"]').first();
  await item.waitFor({ timeout: 30_000 });
  await item.click();
  // A container with one view shows that view's name in the side bar's title, not in a pane header.
  await page
    .locator('.sidebar .composite.title', { hasText: /Async Tasks/i })
    .first()
    .waitFor({ timeout: 30_000 });
}

/**
 * Starts one of the workspace's launch configurations as a user does, through Quick Open's "debug "
 * prefix. The list shows it once the workbench has read launch.json and the debuggers are registered:
 * ask again until it does.
 */
export async function startDebugConfiguration(workbench: Workbench, name: string): Promise<void> {
  try {
    await pickFromQuickInput(workbench.page, { key: 'Control+P', text: `debug ${name}`, row: name });
  } catch (error) {
    await workbench.screenshot('no-launch-configuration');
    throw new Error(`the launch configuration "${name}" never appeared in Quick Open: ${error}`);
  }
}

/** For the README's pictures: no panel, and the side bar dragged wide (to x = 760). */
export async function widenSideBar(page: Page): Promise<void> {
  await page.keyboard.press('Control+J');
  const sideBar = await page.locator('.part.sidebar').boundingBox();
  if (sideBar) {
    await page.mouse.move(sideBar.x + sideBar.width + 1, sideBar.y + 300);
    await page.mouse.down();
    await page.mouse.move(760, sideBar.y + 300, { steps: 10 });
    await page.mouse.up();
  }
}

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

/** Runs a command through the command palette, as a user would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
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
  const { page } = workbench;
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
    if (attempt === 20) {
      await workbench.screenshot('no-launch-configuration');
      throw new Error(`the launch configuration "${name}" never appeared in Quick Open`);
    }
  }
  await configuration.click();
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

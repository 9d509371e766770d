import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { repositoryRoot } from '../support/repositoryRoot';
import { openAsyncToolkitContainer, screenshotDir } from './workbench';

interface BrowserModule {
  launchBrowser(): Promise<Browser>;
}

/** Resolves with the workbench address `npm start` prints. */
function waitForAddress(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no address printed:\n${output}`)), 120_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`start exited with ${code} before serving:\n${output}`)));
  });
}

describe('npm start', function () {
  this.timeout(240_000);

  it('serves the demo workspace with the extension on 127.0.0.1 and exits 0 on Ctrl+C', async () => {
    // The script npm start runs after building (the build ran before this layer).
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let browser: Browser | undefined;
    try {
      const address = await waitForAddress(child);
      assert.match(decodeURIComponent(address), /folder=.*\/demo/);
      const { launchBrowser } = (await import(
        join(repositoryRoot, 'scripts', 'test-host', 'browser.mjs')
      )) as BrowserModule;
      browser = await launchBrowser();
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(address);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await openAsyncToolkitContainer(page);
      // The window title names the opened folder.
      await page.waitForFunction('document.title.includes("demo")', undefined, { timeout: 30_000 });
      await page.screenshot({ path: join(screenshotDir, 'npm-start.png') });
    } finally {
      await browser?.close();
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0);
  });
});

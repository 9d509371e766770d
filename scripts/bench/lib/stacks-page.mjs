// The Async Stacks webview outside VS Code, for the benchmark: the real page (stacksHtml, with its
// Content-Security-Policy) and the built bundle dist/stacks-webview.js in Debian's Chromium, with
// `acquireVsCodeApi` stood in for and a few theme variables set the way VS Code sets them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('../../..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const { stacksHtml } = require(join(root, 'out/src/stacks/stacksHtml.js'));

const DARK_THEME = {
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': 'monospace',
  '--vscode-foreground': '#cccccc',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-editorWidget-background': '#202020',
  '--vscode-editorWidget-border': '#454545',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-badge-background': '#616161',
  '--vscode-badge-foreground': '#f8f8f8',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-focusBorder': '#0078d4',
};

/** Opens the page; `show(picture)` posts one picture and resolves with the time until it is painted. */
export async function openStacksPage(browser, viewport = { width: 1200, height: 800 }) {
  const dir = mkdtempSync(join(tmpdir(), 'async-stacks-page-'));
  const html = stacksHtml({
    cspSource: 'file:',
    scriptUri: pathToFileURL(join(root, 'dist/stacks-webview.js')).href,
    nonce: 'benchmark-nonce',
  });
  writeFileSync(join(dir, 'index.html'), html);
  const page = await browser.newPage({ viewport });
  await page.addInitScript((theme) => {
    window.__sent = [];
    window.acquireVsCodeApi = () => ({
      postMessage: (message) => window.__sent.push(message),
      getState: () => undefined,
      setState: () => {},
    });
    document.addEventListener('DOMContentLoaded', () => {
      for (const [name, value] of Object.entries(theme))
        document.documentElement.style.setProperty(name, value);
      document.body.classList.add('vscode-dark');
    });
  }, DARK_THEME);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.goto(pathToFileURL(join(dir, 'index.html')).href);
  await page.waitForFunction(() => window.__sent?.some((message) => message.type === 'ready'));
  return {
    page,
    errors,
    /** Posts the picture as the panel does and waits for two frames: layout, drawing, style and paint. */
    async show(picture) {
      return page.evaluate(
        (data) =>
          new Promise((resolve) => {
            const started = performance.now();
            window.dispatchEvent(new MessageEvent('message', { data }));
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - started)));
          }),
        { type: 'picture', picture },
      );
    },
    async close() {
      await page.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

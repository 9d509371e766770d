// Debian's Chromium driven by Playwright (Playwright's own browser download cannot work offline).
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const chromiumPath = process.env.ASYNC_TOOLKIT_CHROMIUM || '/usr/bin/chromium';

export async function launchBrowser() {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: apt-get install chromium (or set ASYNC_TOOLKIT_CHROMIUM)`,
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      // The machine has no network: background fetches only produce refused-connection noise.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

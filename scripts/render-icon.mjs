#!/usr/bin/env node
// Renders media/icon.svg to the 128×128 media/icon.png the Marketplace shows (run after editing the SVG).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from './test-host/browser.mjs';

const media = new URL('../media/', import.meta.url).pathname;
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(
    `<body style="margin:0;background:transparent">${readFileSync(join(media, 'icon.svg'), 'utf8')}</body>`,
  );
  await page.locator('svg').screenshot({ path: join(media, 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}

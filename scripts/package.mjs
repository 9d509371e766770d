#!/usr/bin/env node
// `npm run package`: writes async-toolkit-<version>.vsix with @vscode/vsce, which needs Node ≥ 22,
// so it runs on the Node 24 binary from the cache (installed on first use). Run after a production
// build (`npm run package` does both).
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { exitWithUsage, readCommandLine } from './lib/commandLine.mjs';
import { ensureNode } from './test-host/nodeBinaries.mjs';

const usage = 'node scripts/package.mjs [output.vsix]';
const { positionals } = readCommandLine({ usage, allowPositionals: true });
if (positionals.length > 1) exitWithUsage(usage, 'one output file at most');
const root = new URL('..', import.meta.url).pathname;
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const output = positionals[0] ?? join(root, `${name}-${version}.vsix`);
execFileSync(
  ensureNode(24),
  [
    join(root, 'node_modules', '@vscode', 'vsce', 'vsce'),
    'package',
    // Everything the extension needs at run time is bundled into dist/ by esbuild.
    '--no-dependencies',
    // The README's images are in the package; there is no public repository to rewrite links to.
    '--no-rewrite-relative-links',
    '--out',
    output,
  ],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
);
console.log(`${output} (${(statSync(output).size / 1024).toFixed(1)} KiB)`);

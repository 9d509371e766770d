#!/usr/bin/env node
// Builds every artefact with esbuild.
//   dist/extension.js     the extension (bundled, `vscode` external)
//   dist/agent.js         the Node agent loaded into debuggees with --require (bundled, no dependencies)
//   dist/scaffold-cli.js  the project generator's command line
//   dist/stacks-webview.js the Async Stacks picture's script, run in a webview (browser, no Node)
//   dist/templates/       the generated projects' files, read by the generator at run time
//   out/                  src/ and test/ compiled file by file, for unit and integration tests
// Flags: --production (minify, no source maps, no out/), --watch (rebuild on change).
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import { readCommandLine } from './lib/commandLine.mjs';

const { values } = readCommandLine({
  usage: 'node scripts/build.mjs [--production] [--watch]',
  options: { production: { type: 'boolean' }, watch: { type: 'boolean' } },
});
const root = new URL('..', import.meta.url).pathname;
const production = values.production === true;
const watch = values.watch === true;

/** Bundled artefacts shipped in the .vsix; names are relied on by other tools. */
const bundles = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], target: 'node18' },
  // The agent runs inside users' programs on Node 18 and later: keep its syntax old enough.
  { entryPoints: ['src/agent/index.ts'], outfile: 'dist/agent.js', external: [], target: 'node18' },
  { entryPoints: ['src/scaffold/cli.ts'], outfile: 'dist/scaffold-cli.js', external: [], target: 'node18' },
  // VS Code's webviews are Chromium: a browser script, minified always (its size is measured).
  {
    entryPoints: ['src/stacks/webview/main.ts'],
    outfile: 'dist/stacks-webview.js',
    external: [],
    target: 'chrome114',
    platform: 'browser',
    format: 'iife',
    minify: true,
  },
].filter((bundle) => existsSync(join(root, bundle.entryPoints[0])));

function listTypeScript(dir, skip) {
  const found = [];
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip.some((prefix) => relative(root, path).startsWith(prefix))) continue;
    if (entry.isDirectory()) found.push(...listTypeScript(path, skip));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

// Templates are files of generated projects, not our code; fixtures are programs tests run as they are.
const notCompiled = ['src/scaffold/templates', 'test/fixtures'];

const contexts = [];
for (const bundle of bundles) {
  contexts.push(
    await esbuild.context({
      absWorkingDir: root,
      entryPoints: bundle.entryPoints,
      outfile: bundle.outfile,
      external: bundle.external,
      bundle: true,
      platform: bundle.platform ?? 'node',
      format: bundle.format ?? 'cjs',
      target: bundle.target,
      minify: production || bundle.minify === true,
      sourcemap: production ? false : 'linked',
      logLevel: 'warning',
    }),
  );
}
if (!production) {
  contexts.push(
    await esbuild.context({
      absWorkingDir: root,
      entryPoints: [
        ...listTypeScript(join(root, 'src'), notCompiled),
        ...listTypeScript(join(root, 'test'), notCompiled),
      ],
      outdir: 'out',
      outbase: '.',
      bundle: false,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      logLevel: 'warning',
    }),
  );
}

/** The packaged extension has no src/: the generator finds its templates in dist/templates. */
function copyTemplates() {
  const from = join(root, 'src', 'scaffold', 'templates');
  const to = join(root, 'dist', 'templates');
  rmSync(to, { recursive: true, force: true });
  if (!existsSync(from)) return;
  const leftovers = new Set(['node_modules', '__pycache__', '.pytest_cache', 'dist']);
  cpSync(from, to, { recursive: true, filter: (path) => !leftovers.has(path.split('/').pop()) });
}

copyTemplates();
if (watch) {
  await Promise.all(contexts.map((context) => context.watch()));
  console.log('[build] watching for changes… (templates are copied once: rerun after editing them)');
} else {
  rmSync(join(root, 'out'), { recursive: true, force: true });
  try {
    await Promise.all(contexts.map((context) => context.rebuild()));
  } finally {
    await Promise.all(contexts.map((context) => context.dispose()));
  }
  console.log(`[build] ${bundles.map((bundle) => bundle.outfile).join(', ')}${production ? '' : ', out/'}`);
}

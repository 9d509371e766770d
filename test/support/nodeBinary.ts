// Official Node binaries of other majors, for tests that run programs on them. The one installer is
// scripts/test-host/nodeBinaries.mjs (into the cache, on first use); it is an ES module and these tests
// compile to CommonJS, so it is called through a child process.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repositoryRoot } from './repositoryRoot';

const found = new Map<number, string>();

/** Absolute path of the `node` binary of this major, installing it on first use (≈ 6 s). */
export function nodeBinary(major: number): string {
  let binary = found.get(major);
  if (!binary) {
    const installer = join(repositoryRoot, 'scripts', 'test-host', 'nodeBinaries.mjs');
    const printed = execFileSync(
      process.execPath,
      ['-e', `import(${JSON.stringify(installer)}).then((m) => console.log(m.ensureNode(${major})))`],
      // npm's install report goes to stderr; the path is the last line on stdout.
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000 },
    );
    binary = printed.trim().split('\n').at(-1) ?? '';
    found.set(major, binary);
  }
  return binary;
}

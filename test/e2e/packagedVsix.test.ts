import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from '../support/repositoryRoot';

describe('npm run package', function () {
  this.timeout(300_000);
  const folder = mkdtempSync(join(tmpdir(), 'async-toolkit-vsix-'));
  const vsix = join(folder, 'async-toolkit.vsix');
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('writes a .vsix that holds only what runs', () => {
    const result = spawnSync(process.execPath, ['scripts/package.mjs', vsix], {
      cwd: repositoryRoot,
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    assert.ok(statSync(vsix).size > 0);
    const listing = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).stdout.split('\n');
    assert.ok(listing.includes('extension/dist/extension.js'), listing.join('\n'));
    const unwanted = listing.filter((entry) =>
      /^extension\/(src|test|node_modules|scripts|out)\//.test(entry),
    );
    assert.deepEqual(unwanted, []);
  });

  it('installs into code-server and activates there', () => {
    const result = spawnSync(
      process.execPath,
      [
        'scripts/test-host/runIntegration.mjs',
        '--vsix',
        vsix,
        '--suite',
        join(repositoryRoot, 'test', 'fixtures', 'installed-suite'),
      ],
      { cwd: repositoryRoot, encoding: 'utf8', env: { ...process.env, ASYNC_TOOLKIT_RESULTS: '' } },
    );
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /^3 passed, 0 failed$/m);
  });
});

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repositoryRoot } from '../support/repositoryRoot';

// The integration runner is what proves everything else: prove that it fails when a test fails.
describe('Integration runner self-test', function () {
  this.timeout(240_000);

  it('exits non-zero and counts "1 passed, 1 failed" for a suite with one failing test', () => {
    const result = spawnSync(
      process.execPath,
      [
        'scripts/test-host/runIntegration.mjs',
        '--suite',
        join(repositoryRoot, 'test', 'fixtures', 'failing-suite'),
      ],
      { cwd: repositoryRoot, encoding: 'utf8', env: { ...process.env, ASYNC_TOOLKIT_RESULTS: '' } },
    );
    const output = `${result.stdout}\n${result.stderr}`;
    assert.notEqual(result.status, 0, output);
    assert.match(result.stdout, /^1 passed, 1 failed$/m, output);
    assert.match(result.stdout, /✗ fails on purpose/, output);
  });
});

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SNAPSHOT_FORMAT_VERSION } from '../../../src/snapshot/format';
import { DEFAULT_SNAPSHOT_REQUEST, SNAPSHOT_REQUEST_OPTIONS } from '../../../src/snapshot/request';
import { python } from '../../support/pythonInterpreter';
import { repositoryRoot as root } from '../../support/repositoryRoot';

// The probe cannot import the contract (it runs inside the user's Python program): it repeats the
// format version and the request's option names and defaults, and these tests hold them equal.
const probePath = join(root, 'python', 'async_toolkit_probe.py');
const probeSource = readFileSync(probePath, 'utf8');

/** The text of the probe's `DEFAULT_OPTIONS = { … }` literal. */
function defaultOptionsBlock(): string {
  const match = /^DEFAULT_OPTIONS = \{\n([\s\S]*?)^\}/m.exec(probeSource);
  assert.ok(match, 'no DEFAULT_OPTIONS = { … } block at the start of a line in the probe');
  return match[1];
}

describe('Python probe against the snapshot contract (src/snapshot/)', () => {
  it('declares the contract’s format version', () => {
    const versions = [...probeSource.matchAll(/^FORMAT_VERSION = (\d+)$/gm)].map((match) => Number(match[1]));
    assert.deepEqual(versions, [SNAPSHOT_FORMAT_VERSION]);
  });

  it('accepts exactly the contract’s request option names', () => {
    const names = [...defaultOptionsBlock().matchAll(/^ {4}'(\w+)':/gm)].map((match) => match[1]);
    assert.deepEqual([...names].sort(), [...SNAPSHOT_REQUEST_OPTIONS].sort());
  });

  it('has the contract’s defaults (None where the request leaves an option unset)', () => {
    const result = spawnSync(
      python,
      [
        '-c',
        'import json, runpy, sys; print(json.dumps(runpy.run_path(sys.argv[1])["DEFAULT_OPTIONS"]))',
        probePath,
      ],
      { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
    );
    assert.equal(result.status, 0, result.stderr);
    const probeDefaults = JSON.parse(result.stdout) as Record<string, unknown>;
    const expected = Object.fromEntries(
      Object.entries(DEFAULT_SNAPSHOT_REQUEST).map(([key, value]) => [key, value ?? null]),
    );
    assert.deepEqual(probeDefaults, expected);
  });
});

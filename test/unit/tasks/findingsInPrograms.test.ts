// Problems the view finds in real programs' snapshots: the Python probe reads a running asyncio program,
// the view judges the snapshot. Deadlocks are found with every member and the line where it waits; the
// demo programs, busy but not stuck, give no problem at all.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSnapshot } from '../../../src/snapshot/checkSnapshot';
import type { Finding, Snapshot } from '../../../src/snapshot/format';
import { sessionFindings } from '../../../src/tasks/findings/sessionFindings';
import { groupSnapshot } from '../../../src/tasks/grouping';
import { python } from '../../support/pythonInterpreter';
import { repositoryRoot } from '../../support/repositoryRoot';

const fixtures = join(repositoryRoot, 'test', 'fixtures', 'findings');
const env = { ...process.env, ASYNC_TOOLKIT_PROBE: join(repositoryRoot, 'python', 'async_toolkit_probe.py') };

function snapshotOf(script: string, ...args: string[]): Snapshot {
  const output = execFileSync(python, [join(fixtures, script), ...args], {
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return parseSnapshot(output.trim().split('\n').pop() ?? '');
}

function findingsOf(snapshot: Snapshot): Finding[] {
  return sessionFindings({ snapshot, groupHistory: [groupSnapshot(snapshot)], stuckAfterMs: 10_000 });
}

function markerLine(file: string, marker: string): number {
  const index = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(`# marker: ${marker}`));
  assert.ok(index >= 0, `marker ${marker} in ${file}`);
  return index + 1;
}

describe('problems found in real Python programs', function () {
  this.timeout(60_000);

  it('names both asyncio tasks that await each other, with the lines where they wait', () => {
    const file = join(fixtures, 'asyncio_await_cycle.py');
    const snapshot = snapshotOf('asyncio_await_cycle.py');
    const findings = findingsOf(snapshot);
    assert.deepEqual(
      findings.map((finding) => finding.kind),
      ['cycle'],
    );
    const names = findings[0].taskIds.map((id) => snapshot.tasks.find((task) => task.id === id)?.name);
    assert.deepEqual([...names].sort(), ['left', 'right']);
    const line = (name: string) => markerLine(file, `${name} waits`);
    assert.match(findings[0].message, new RegExp(`left \\(asyncio_await_cycle\\.py:${line('left')}\\)`));
    assert.match(findings[0].message, new RegExp(`right \\(asyncio_await_cycle\\.py:${line('right')}\\)`));
  });

  it('finds a gather that contains its own awaiter', () => {
    const file = join(fixtures, 'asyncio_gather_own_awaiter.py');
    const findings = findingsOf(snapshotOf('asyncio_gather_own_awaiter.py'));
    assert.deepEqual(
      findings.map((finding) => finding.kind),
      ['cycle'],
    );
    assert.equal(findings[0].taskIds.length, 2);
    assert.match(findings[0].message, new RegExp(`:${markerLine(file, 'child waits for main')}\\)`));
    assert.match(findings[0].message, new RegExp(`:${markerLine(file, 'main waits for the gather')}\\)`));
  });

  for (const demo of ['order_pipeline.py', 'trio_echo.py']) {
    it(`finds nothing wrong in the busy demo ${demo}`, () => {
      const snapshot = snapshotOf('snapshot_after.py', join(repositoryRoot, 'demo', 'python', demo), '1.5');
      assert.ok(snapshot.tasks.length > 3, `the demo's tasks were read: ${snapshot.tasks.length}`);
      assert.deepEqual(findingsOf(snapshot), []);
    });
  }
});

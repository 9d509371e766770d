// Problems found in real programs' snapshots: the Python probe reads a running asyncio or trio program
// and proves what only the runtime knows (who holds a trio Lock, a future nothing else can reach, a
// coroutine no task runs); the view adds what any snapshot shows (tasks awaiting each other) and
// combines both (sessionFindings). Each deadlock is found with every member and the line where it
// waits; the demo programs and the busy workloads, busy but not stuck, give no problem beyond what
// their structure implies.
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

/** Every snapshot a busy program's run gave (snapshots_during.py), oldest first. */
function snapshotsDuring(program: string): Snapshot[] {
  const output = execFileSync(python, [join(fixtures, 'snapshots_during.py'), program], {
    env,
    encoding: 'utf8',
    timeout: 240_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  const lines = output.split('\n');
  return lines
    .slice(lines.indexOf('--- snapshots ---') + 1)
    .filter((line) => line.trim())
    .map((line) => parseSnapshot(line));
}

function findingsOf(snapshot: Snapshot): Finding[] {
  return sessionFindings({ snapshot, groupHistory: [groupSnapshot(snapshot)], stuckAfterMs: 10_000 });
}

function taskName(snapshot: Snapshot, id: string): string | undefined {
  return snapshot.tasks.find((task) => task.id === id)?.name;
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

  it('finds nothing wrong in the aiohttp demo, stopped with its requests hanging', () => {
    const demo = join(repositoryRoot, 'demo', 'python', 'aiohttp_hanging_requests.py');
    const snapshot = snapshotOf('snapshot_after.py', demo, '30', 'at-breakpoint');
    assert.ok(snapshot.tasks.length > 20, `the demo's tasks were read: ${snapshot.tasks.length}`);
    assert.deepEqual(findingsOf(snapshot), []);
  });

  for (const demo of ['order_pipeline.py', 'trio_echo.py']) {
    it(`finds nothing wrong in the busy demo ${demo}`, () => {
      const snapshot = snapshotOf('snapshot_after.py', join(repositoryRoot, 'demo', 'python', demo), '1.5');
      assert.ok(snapshot.tasks.length > 3, `the demo's tasks were read: ${snapshot.tasks.length}`);
      assert.deepEqual(findingsOf(snapshot), []);
    });
  }

  it('names the trio tasks that each hold a Lock another one wants: two philosophers, a ring of three', () => {
    const file = join(fixtures, 'trio_lock_cycle.py');
    const snapshot = snapshotOf('trio_lock_cycle.py');
    const findings = findingsOf(snapshot);
    assert.deepEqual(
      findings.map((finding) => [finding.kind, finding.severity]),
      [
        ['lockCycle', 'error'],
        ['lockCycle', 'error'],
      ],
    );
    const members = findings.map((finding) => finding.taskIds.map((id) => taskName(snapshot, id)).sort());
    assert.deepEqual(
      members.sort((a, b) => a.length - b.length),
      [
        ['philosopher-a', 'philosopher-b'],
        ['ring-0', 'ring-1', 'ring-2'],
      ],
    );
    const byMembers = (count: number) =>
      findings.find((finding) => finding.taskIds.length === count) as Finding;
    const takes = markerLine(file, 'takes the second lock');
    assert.match(
      byMembers(2).message,
      new RegExp(
        `^"philosopher-[ab]" \\(trio_lock_cycle\\.py:${takes}\\) waits for a Lock "philosopher-[ab]" holds, "philosopher-[ab]" \\(trio_lock_cycle\\.py:${takes}\\) waits for a Lock "philosopher-[ab]" holds: none can go on$`,
      ),
    );
    assert.equal(byMembers(2).site?.line, takes);
    const ring = markerLine(file, 'ring member waits');
    assert.equal(
      byMembers(3).message.match(new RegExp(`trio_lock_cycle\\.py:${ring}\\) waits for a Lock`, 'g'))?.length,
      3,
    );
    // Each member waits for the next one's Lock, and the last for the first's: a ring read in order.
    const order = byMembers(3).taskIds.map((id) => taskName(snapshot, id));
    for (const [index, name] of order.entries()) {
      const next = order[(index + 1) % order.length];
      assert.ok(
        byMembers(3).message.includes(
          `"${name}" (trio_lock_cycle.py:${ring}) waits for a Lock "${next}" holds`,
        ),
      );
    }
  });

  it('names two asyncio tasks that each hold a Lock the other wants, reading the holders from `async with`', () => {
    const file = join(fixtures, 'asyncio_lock_cycle.py');
    const snapshot = snapshotOf('asyncio_lock_cycle.py');
    const findings = findingsOf(snapshot);
    assert.deepEqual(
      findings.map((finding) => [finding.kind, finding.taskIds.map((id) => taskName(snapshot, id)).sort()]),
      [['lockCycle', ['credit', 'debit']]],
    );
    const waits = markerLine(file, 'waits for the other lock');
    assert.match(
      findings[0].message,
      new RegExp(
        `^"(debit|credit)" \\(asyncio_lock_cycle\\.py:${waits}\\) waits for a Lock "(credit|debit)" holds, "(credit|debit)" \\(asyncio_lock_cycle\\.py:${waits}\\) waits for a Lock "(debit|credit)" holds: none can go on \\(holders read from their \`async with\` blocks\\)$`,
      ),
    );
  });

  it('finds the asyncio tasks waiting on a future or an Event nothing else can reach, and only those', () => {
    const file = join(fixtures, 'asyncio_orphan_future.py');
    const snapshot = snapshotOf('asyncio_orphan_future.py');
    const findings = findingsOf(snapshot);
    assert.deepEqual(
      findings.map((finding) => [finding.kind, finding.taskIds.map((id) => taskName(snapshot, id))]),
      [
        ['orphan', ['forgotten-event']],
        ['orphan', ['forgotten-future']],
      ],
    );
    assert.deepEqual(
      findings.map((finding) => finding.message),
      [
        `"forgotten-event" (asyncio_orphan_future.py:${markerLine(file, 'nobody can set this event')}) waits at Event.wait() for something only it can reach: nothing else can ever wake it, only a cancellation ends the wait`,
        `"forgotten-future" (asyncio_orphan_future.py:${markerLine(file, 'nobody can set this future')}) waits on a Future nothing else references: nothing can ever set it, only a cancellation ends the wait`,
      ],
    );
  });

  it('finds the trio tasks parked on an Event or a channel nothing else can reach, and only those', () => {
    const file = join(fixtures, 'trio_orphan_wait.py');
    const snapshot = snapshotOf('trio_orphan_wait.py');
    const findings = findingsOf(snapshot);
    assert.deepEqual(
      findings.map((finding) => [finding.kind, finding.taskIds.map((id) => taskName(snapshot, id))]),
      [
        ['orphan', ['forgotten-event']],
        ['orphan', ['sender-gone']],
      ],
    );
    assert.deepEqual(
      findings.map((finding) => finding.message),
      [
        `"forgotten-event" (trio_orphan_wait.py:${markerLine(file, 'nobody can set this event')}) waits at Event.wait() for something only it can reach: nothing else can ever wake it, only a cancellation ends the wait`,
        `"sender-gone" (trio_orphan_wait.py:${markerLine(file, 'the sending side is gone')}) waits at MemoryReceiveChannel.receive() for something only it can reach: nothing else can ever wake it, only a cancellation ends the wait`,
      ],
    );
  });

  it('finds coroutines created and never awaited, at the function they would run', () => {
    const file = join(fixtures, 'asyncio_never_awaited.py');
    const findings = findingsOf(snapshotOf('asyncio_never_awaited.py'));
    assert.deepEqual(findings, [
      {
        id: `orphan:never-awaited:${file}:${markerLine(file, 'never awaited')}`,
        kind: 'orphan',
        severity: 'warning',
        message: '2 send_reminder() coroutines created and never awaited: no task runs them',
        taskIds: [],
        site: { file, line: markerLine(file, 'never awaited'), functionName: 'send_reminder' },
      },
    ]);
  });

  it('finds in the busy asyncio workload only the waits its structure makes endless', () => {
    const program = join(repositoryRoot, 'test', 'fixtures', 'python', 'busy_asyncio.py');
    const snapshots = snapshotsDuring(program);
    assert.ok(snapshots.length >= 10, `snapshots with tasks: ${snapshots.length}`);
    const kinds = new Set<string>();
    for (const snapshot of snapshots) {
      for (const finding of findingsOf(snapshot)) {
        // never_finishes() awaits asyncio.Event().wait(): an Event no one else holds, ended by cancel().
        assert.equal(finding.kind, 'orphan', finding.message);
        assert.equal(finding.site?.functionName, 'never_finishes', finding.message);
        kinds.add(finding.kind);
      }
    }
    assert.deepEqual([...kinds], ['orphan'], 'the never-ending waits were seen at least once');
  });

  it('finds nothing wrong in the busy trio workload', () => {
    const program = join(repositoryRoot, 'test', 'fixtures', 'python', 'busy_trio.py');
    const snapshots = snapshotsDuring(program);
    assert.ok(snapshots.length >= 10, `snapshots with tasks: ${snapshots.length}`);
    assert.deepEqual(
      snapshots.flatMap((snapshot) => findingsOf(snapshot).map((finding) => finding.message)),
      [],
    );
  });
});

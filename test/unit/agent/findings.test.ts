// Findings of the Node agent, on every supported Node major: rings of operations that await one another
// (`cycle`), and operations dropped while pending (`orphan`), on programs with known problems
// (test/fixtures/findings/); and none at all on programs without them — the operation fixtures, the
// demo, the guest suite's programs.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding, Snapshot } from '../../../src/snapshot/format';
import { casesDir, guestCases } from '../../guest/guestCases';
import { markerLine } from './fixtureLines';
import { describeOnEveryMajor } from './nodeVersions';
import { fixturesDir, lastJson, repositoryRoot, runFixture } from './runWithAgent';

const findingsDir = join(fixturesDir, '..', 'findings');
const operationsDir = join(fixturesDir, '..', 'operations');
const at = (program: string, marker: string) => markerLine(`findings/${program}.js`, marker);

async function snapshotOf(program: string, node: string, exposeGc = false): Promise<Snapshot> {
  const file = join(findingsDir, `${program}.js`);
  const run = exposeGc
    ? await runFixture('--expose-gc', { node, args: [file] })
    : await runFixture(file, { node });
  return lastJson<Snapshot>(run);
}

/** The findings a program has after `afterMs` (or at its exit), through findingsAfter.js. */
async function findingsOf(program: string, node: string, args: string[] = []) {
  const folder = mkdtempSync(join(tmpdir(), 'findings-'));
  const file = join(folder, 'findings.json');
  try {
    await runFixture(args.length ? args[0] : program, {
      node,
      args: args.length ? [...args.slice(1), program] : [],
      env: {
        NODE_OPTIONS: `--require ${join(findingsDir, 'findingsAfter.js')}`,
        ASYNC_TOOLKIT_FINDINGS_FILE: file,
        ASYNC_TOOLKIT_FINDINGS_AFTER_MS: '800',
      },
    });
    return JSON.parse(readFileSync(file, 'utf8')) as { findings: Finding[]; notes?: string[] };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const summary = (finding: Finding) => ({
  kind: finding.kind,
  severity: finding.severity,
  message: finding.message,
  site: finding.site && `${finding.site.functionName}:${finding.site.line}`,
});

describe('Node agent: findings', () => {
  describeOnEveryMajor((major, nodeBinary) => {
    const node = () => nodeBinary();

    it('two operations awaiting each other: one cycle naming both, and each waits on "operation"', async () => {
      const snapshot = await snapshotOf('awaitEachOther', node());
      const first = at('awaitEachOther', 'first');
      const second = at('awaitEachOther', 'second');
      assert.deepEqual(snapshot.findings?.map(summary), [
        {
          kind: 'cycle',
          severity: 'error',
          message: `"first" (awaitEachOther.js:${first}) awaits "second", "second" (awaitEachOther.js:${second}) awaits "first": none can go on`,
          site: `first:${first}`,
        },
      ]);
      const operations = snapshot.tasks.map((task) => ({
        id: task.id,
        name: task.name,
        awaiting: task.awaiting,
        line: task.site?.line,
      }));
      const byName = (name: string) => operations.find((item) => item.name === name);
      assert.deepEqual(
        operations.map(({ id: _id, ...rest }) => rest),
        [
          { name: 'first', awaiting: 'operation "second"', line: first },
          { name: 'second', awaiting: 'operation "first"', line: second },
        ],
      );
      assert.deepEqual(snapshot.findings?.[0].taskIds, [byName('first')?.id, byName('second')?.id]);
    });

    it('a ring of three through Promise.all: one cycle naming all three, where each waits', async () => {
      const snapshot = await snapshotOf('ringOfThree', node());
      const line = (marker: string) => at('ringOfThree', marker);
      assert.deepEqual(snapshot.findings?.map(summary), [
        {
          kind: 'cycle',
          severity: 'error',
          message:
            `"fetchB" (ringOfThree.js:${line('fetchB')}) awaits a Promise.all of "merge", ` +
            `"merge" (ringOfThree.js:${line('merge')}) awaits "gather", ` +
            `"gather" (ringOfThree.js:${line('gather')}) awaits a Promise.all of "fetchB": none can go on`,
          site: `fetchB:${line('fetchB')}`,
        },
      ]);
      const ids = new Set(snapshot.tasks.map((task) => task.id));
      assert.ok(snapshot.findings?.[0].taskIds.length, 'the ring is shown as an operation');
      for (const id of snapshot.findings?.[0].taskIds ?? []) assert.ok(ids.has(id), id);
    });

    it('a hand-made mutex cycle is not found (the resolvers sit in the program’s own queues): both show where they wait', async () => {
      const snapshot = await snapshotOf('mutexCycle', node());
      assert.deepEqual(snapshot.findings, []);
      const lock = at('mutexCycle', 'lock');
      assert.deepEqual(
        snapshot.tasks
          .map((task) => [task.name, task.awaiting, (task.stack ?? []).map((f) => f.line)])
          .sort(),
        [
          ['audit', 'new Promise — resolver not called yet', [lock, at('mutexCycle', 'audit')]],
          ['transfer', 'new Promise — resolver not called yet', [lock, at('mutexCycle', 'transfer')]],
        ],
      );
    });

    it('a request whose resolver was dropped: one orphan at its `new Promise`, with its age at collection', async () => {
      const snapshot = await snapshotOf('droppedResolver', node(), true);
      assert.equal(snapshot.tasks.length, 0, 'nothing is pending any more');
      assert.equal(snapshot.findings?.length, 1, JSON.stringify(snapshot.findings));
      const finding = snapshot.findings?.[0] as Finding;
      const line = at('droppedResolver', 'waitForReply');
      assert.deepEqual(
        { ...summary(finding), message: undefined, taskIds: finding.taskIds, id: finding.id },
        {
          kind: 'orphan',
          severity: 'warning',
          message: undefined,
          site: `waitForReply:${line}`,
          taskIds: [],
          id: `orphan:dropped:${join(findingsDir, 'droppedResolver.js')}:${line}`,
        },
      );
      const match =
        /^"request" was dropped while waiting \(new Promise — resolver not called yet, droppedResolver\.js:(\d+)\): its promise was garbage-collected unsettled (\d+) ms after it was made, so nothing can settle it and the code awaiting it never resumes \(2 times here, the last \d+ ms ago\)$/.exec(
          finding.message,
        );
      assert.ok(match, finding.message);
      assert.equal(Number(match[1]), line);
      assert.ok(Number(match[2]) >= 90 && Number(match[2]) < 2000, `age at collection ${match[2]} ms`);
      assert.match(
        snapshot.notes?.join('\n') ?? '',
        /^4 pending promises that operations waited on were garbage-collected unsettled since the agent loaded \(dropped work\); findings name the latest place \(at most 20\)\.$/m,
      );
    });

    it('a ring that nothing refers to is collected: two dropped operations, no cycle', async () => {
      const snapshot = await snapshotOf('droppedRing', node(), true);
      assert.deepEqual(
        snapshot.findings
          ?.map((finding) => [finding.kind, finding.site?.functionName, finding.site?.line])
          .sort(),
        [
          // A call's site is its function's first line, the line above the marker (the formatter moves it).
          ['orphan', 'left', at('droppedRing', 'left') - 1],
          ['orphan', 'right', at('droppedRing', 'right') - 1],
        ],
      );
    });

    it('operations dropped at more places than are kept: the latest 20 places, all counted', async () => {
      const snapshot = await snapshotOf('manyDropped', node(), true);
      const findings = snapshot.findings ?? [];
      assert.equal(
        findings.length,
        20,
        JSON.stringify(findings.map((finding) => finding.site?.functionName)),
      );
      assert.ok(
        findings.every(
          (finding) => finding.kind === 'orphan' && /^drop\d+$/.test(finding.site?.functionName ?? ''),
        ),
      );
      assert.equal(new Set(findings.map((finding) => finding.id)).size, 20);
      assert.match(
        snapshot.notes?.join('\n') ?? '',
        /^50 pending promises that operations waited on were garbage-collected unsettled since the agent loaded \(dropped work\); findings name the latest 20 places \(at most 20\)\.$/m,
      );
    });

    describe('no false findings', () => {
      for (const program of readdirSync(operationsDir).filter((name) => name !== 'snapshotSoon.js')) {
        it(`operations/${program}`, async () => {
          const snapshot = lastJson<Snapshot>(
            await runFixture(join(operationsDir, program), { node: node() }),
          );
          assert.deepEqual(snapshot.findings, []);
        });
      }
      for (const mode of ['sampled', 'all']) {
        it(`findings/noRing.js (recursion, mutual recursion, a shared start-up call), \`${mode}\``, async () => {
          const run = await runFixture(join(findingsDir, 'noRing.js'), {
            node: node(),
            env: { ASYNC_TOOLKIT_CREATION_STACKS: mode },
          });
          const snapshot = lastJson<Snapshot>(run);
          assert.deepEqual(snapshot.findings, []);
          assert.deepEqual(
            snapshot.tasks.filter((task) => task.name === 'handle').map((task) => task.awaiting),
            ['operation "startUp"', 'operation "startUp"', 'operation "startUp"'],
          );
        });
      }
      // The framework programs (express, fastify, pools, queues) run on the majors their tests use.
      const frameworksDir = join(fixturesDir, '..', 'frameworks');
      if (major === 20 || major === 24)
        // loadedExpress.js is a benchmark's server: it prints times, not a snapshot.
        // workers/ holds the scripts of worker threads, which are no programs of their own.
        for (const program of readdirSync(frameworksDir).filter(
          (name) => /\.m?js$/.test(name) && name !== 'loadedExpress.js',
        )) {
          it(`frameworks/${program}`, async () => {
            const snapshot = lastJson<Snapshot>(
              await runFixture(join(frameworksDir, program), { node: node() }),
            );
            assert.deepEqual(snapshot.findings, []);
          });
        }
      it('demo/node/stuckRequests.js', async () => {
        const found = await findingsOf(join(repositoryRoot, 'demo', 'node', 'stuckRequests.js'), node());
        assert.deepEqual(found.findings, []);
      });
      for (const guest of guestCases) {
        const args = guest.nodeArgs?.(major) ?? [];
        if (guest.nodeArgs !== undefined && guest.nodeArgs(major) === undefined) continue;
        // The permission model does not let the helper write its file; pendingCollected.js drops
        // pending work on purpose (its orphans are real), and so do patchedBuiltinsInHooks.js,
        // snapshotReadObjects.js (a pool with requests waiting), droppedObjects.js (its cache of pending
        // promises goes with its module's scope once main ends) and libraryObjects.js (its pools' and
        // queue's waits, at exit) — each snapshot's own collection reports them, at exit too;
        // patchedBuiltins.js makes a change to a built-in permanent, after which snapshots are refused.
        if (
          args.some((arg) => arg.includes('permission')) ||
          guest.file === 'pendingCollected.js' ||
          guest.file === 'patchedBuiltinsInHooks.js' ||
          guest.file === 'snapshotReadObjects.js' ||
          guest.file === 'droppedObjects.js' ||
          guest.file === 'libraryObjects.js' ||
          guest.file === 'patchedBuiltins.js'
        )
          continue;
        it(`guest/${guest.file} ${args.join(' ')}`, async () => {
          const found = await findingsOf(join(casesDir, guest.file), node(), args.length ? [...args] : []);
          assert.deepEqual(found.findings, []);
        });
      }
    });
  });
});

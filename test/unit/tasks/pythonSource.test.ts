import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import {
  collectParts,
  installAndSnapshotExpression,
  interpretProbeResult,
  PROBE_MISSING,
  PythonSnapshotSource,
  probeModuleName,
  probeRequest,
  snapshotExpression,
  unquoteEvaluateResult,
} from '../../../src/tasks/sources/python/pythonSource';
import { python } from '../../support/pythonInterpreter';
import { repositoryRoot as root } from '../../support/repositoryRoot';

const probePath = join(root, 'python', 'async_toolkit_probe.py');
const probeSource = readFileSync(probePath, 'utf8');
const fixtures = join(root, 'test', 'fixtures', 'python');

/** Runs a Python program with arguments; returns its stdout, failing the test on a non-zero exit. */
function runPython(args: string[], env: Record<string, string> = {}): string {
  const result = spawnSync(python, args, {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.equal(result.status, 0, `${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

describe('Python source: the expressions sent through evaluate, run by a real Python', () => {
  let folder: string;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'python-source-'));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  // Evaluates each expression in a suspended task's frame, as debugpy does with the paused frame's
  // globals and locals, and reports the results and whether the frame's namespace changed.
  const evaluator = `
import asyncio, json, sys
expressions = json.load(open(sys.argv[1]))

async def sleeper():
    await asyncio.sleep(60)

async def main():
    task = asyncio.create_task(sleeper(), name='sleeper')
    await asyncio.sleep(0)
    results = names_before = None
    names_before = sorted(globals()), sorted(locals())
    results = [eval(expression) for expression in expressions]
    unchanged = names_before == (sorted(globals()), sorted(locals()))
    task.cancel()
    print(json.dumps({'results': results, 'namespaceUnchanged': unchanged}))

asyncio.run(main())
`;

  function evaluateAll(expressions: string[]): { results: string[]; namespaceUnchanged: boolean } {
    const program = join(folder, 'evaluator.py');
    const input = join(folder, 'expressions.json');
    writeFileSync(program, evaluator);
    writeFileSync(input, JSON.stringify(expressions));
    return JSON.parse(runPython([program, input]));
  }

  it('reports the probe missing, loads it once, then calls the loaded module', async () => {
    const moduleName = probeModuleName(probeSource);
    const options = { maxStackFrames: 5 };
    const { results, namespaceUnchanged } = evaluateAll([
      snapshotExpression(moduleName, options),
      installAndSnapshotExpression(moduleName, probeSource, probePath, options),
      snapshotExpression(moduleName, options),
    ]);
    assert.equal(results[0], PROBE_MISSING);
    for (const first of results.slice(1)) {
      const text = await collectParts(unquoteEvaluateResult(first), async () =>
        assert.fail('a small snapshot comes in one part'),
      );
      const snapshot = interpretProbeResult(text);
      assert.equal(snapshot.runtime, 'asyncio');
      const sleeper = snapshot.tasks.find((task) => task.name === 'sleeper');
      assert.ok(sleeper, text.slice(0, 300));
      assert.equal(sleeper.awaiting, 'asyncio.sleep(60)');
    }
    assert.equal(namespaceUnchanged, true, 'the paused frame gained or lost a name');
  });

  it('joins a snapshot sent in parts and refuses one that arrived incomplete', async () => {
    const parts = ['{"version":1,', '"runtime":"asyncio","pid":1,', '"takenAt":0,"tasks":[]}'];
    const total = parts.join('').length;
    const asked: number[] = [];
    const text = await collectParts(`${total}\n${parts[0]}`, async (index) => {
      asked.push(index);
      return parts[index] ?? '';
    });
    assert.deepEqual(asked, [1, 2]);
    assert.equal(interpretProbeResult(text).runtime, 'asyncio');
    await assert.rejects(
      collectParts(`${total + 5}\n${parts[0]}`, async (index) => parts[index] ?? ''),
      /^Error: Probe failed: the snapshot arrived incomplete \(\d+ of \d+ characters\)\.$/,
    );
    await assert.rejects(
      collectParts('oops', async () => ''),
      /unexpected answer from the probe/,
    );
  });

  it('names the private module after the probe’s content', () => {
    assert.match(probeModuleName(probeSource), /^_async_toolkit_probe_[0-9a-f]{12}$/);
    assert.notEqual(probeModuleName(probeSource), probeModuleName(`${probeSource}\n# changed`));
  });

  it('reads the probe’s "@" answers raw, and through Python’s repr() when a debugger ignores rawString', () => {
    const json = JSON.stringify({ name: `it's "quoted" \\ back\\slashed`, tasks: [] });
    const repr = runPython(['-c', 'import sys; print(repr("@" + sys.argv[1]), end="")', json]);
    assert.ok(repr.startsWith("'@"));
    assert.equal(unquoteEvaluateResult(repr), json);
    assert.equal(unquoteEvaluateResult(`@${json}`), json);
    // A part of the JSON may itself start and end with a quote: only the marker decides.
    assert.equal(unquoteEvaluateResult('@"id":"t1"'), '"id":"t1"');
    assert.equal(unquoteEvaluateResult(`'${PROBE_MISSING}'`), PROBE_MISSING);
  });

  it('passes the view’s request on unchanged, over the tasks-per-group setting, and names an unknown option', () => {
    const view = {
      includeInternals: false,
      minAgeMs: 5,
      group: 'awaiting:Queue.get()',
      offset: 100,
      limit: 100,
    };
    assert.deepEqual(probeRequest(view), view);
    assert.deepEqual(probeRequest({ maxTasksPerGroup: 3, minAgeMs: undefined }), { maxTasksPerGroup: 3 });
    assert.deepEqual(probeRequest(undefined), {});
    assert.throws(() => probeRequest({ maxTasks: 10 }), /^TypeError: unknown snapshot option "maxTasks"/);
    assert.throws(() => probeRequest({ groupBy: 'site' }), /groupBy must be/);
  });

  it('handles sessions of both Python debug types, `debugpy` and the older `python`', () => {
    const source = new PythonSnapshotSource({ probePath, log: {} as never });
    const session = (type: string) => ({ type }) as Parameters<PythonSnapshotSource['handles']>[0];
    assert.equal(source.handles(session('debugpy')), true);
    assert.equal(source.handles(session('python')), true);
    assert.equal(source.handles(session('node')), false);
  });
});

describe('Python source: turning probe results into snapshots or messages', () => {
  const empty = { version: 1, runtime: 'asyncio', pid: 1, takenAt: 0, tasks: [] };

  it('turns "not an async program" into a message', () => {
    const text = JSON.stringify({
      ...empty,
      error: 'not an async program: no asyncio event loop or trio.run() exists',
    });
    assert.throws(
      () => interpretProbeResult(text),
      /^Error: Not an async program: no asyncio event loop or trio\.run\(\) exists\.$/,
    );
  });

  it('turns "no running loop" into a message', () => {
    const text = JSON.stringify({
      ...empty,
      error: 'no running loop: an asyncio event loop exists but none is running',
    });
    assert.throws(() => interpretProbeResult(text), /^Error: No running loop: an asyncio event loop exists/);
  });

  it('reports a probe failure with what failed', () => {
    const text = JSON.stringify({ ...empty, error: 'probe failed: KeyError: x' });
    assert.throws(() => interpretProbeResult(text), /^Error: Probe failed: KeyError: x$/);
    assert.throws(
      () => interpretProbeResult('{"version":1,"runt'),
      /^Error: Probe failed: The snapshot is not valid JSON/,
    );
  });

  it('keeps a partial snapshot with its error for the view to show above the tasks', () => {
    const task = { id: 't1', parentId: null, type: 'Task', state: 'pending' };
    const snapshot = interpretProbeResult(
      JSON.stringify({ ...empty, tasks: [task], error: 'could not read 1 task(s)' }),
    );
    assert.equal(snapshot.tasks.length, 1);
    assert.equal(snapshot.error, 'could not read 1 task(s)');
  });
});

describe('Python probe output against the snapshot JSON Schema', () => {
  const schema = JSON.parse(readFileSync(join(root, 'src', 'snapshot', 'snapshot.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true }).compile(schema);
  let folder: string;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'python-schema-'));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  const cases: [string, Record<string, unknown>][] = [
    ['asyncio_known.py', {}],
    ['asyncio_known.py', { includeInternals: true, groupBy: 'none', limit: 3 }],
    ['asyncio_known.py', { groupBy: 'type', maxTasksPerGroup: 1, maxStackFrames: 0 }],
    ['asyncio_known.py', { group: 'awaiting:Queue.get()', offset: 0, limit: 1 }],
    ['asyncio_vocabulary.py', {}],
    ['asyncio_threads.py', {}],
    ['trio_nursery.py', {}],
    ['trio_worker_thread.py', { includeInternals: false }],
    ['not_async.py', {}],
    ['asyncio_no_loop.py', {}],
  ];
  const nothingToShow = ['not_async.py', 'asyncio_no_loop.py'];
  for (const [fixture, options] of cases) {
    it(`validates what the probe sees in ${fixture} with ${JSON.stringify(options)}`, () => {
      const out = join(folder, `${fixture}.json`);
      runPython([join(fixtures, fixture)], {
        PYTHONPATH: [join(root, 'test', 'python'), join(root, 'python')].join(':'),
        PYTHONBREAKPOINT: 'probe_breakpoint_hook.stop',
        ASYNC_TOOLKIT_SNAPSHOT_OUT: out,
        ASYNC_TOOLKIT_PROBE_OPTIONS: JSON.stringify(options),
      });
      const snapshots = JSON.parse(readFileSync(out, 'utf8'));
      for (const where of ['stoppedThread', 'otherThread']) {
        const snapshot = snapshots[where];
        assert.equal(validate(snapshot), true, `${where}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
        if (nothingToShow.includes(fixture)) continue;
        // The request was understood, and groups (when asked for) were there to validate.
        assert.equal(snapshot.error, undefined, where);
        assert.equal(Boolean(snapshot.groups?.length), options.groupBy !== 'none', where);
      }
    });
  }

  it('leaves no task whose parent is missing when internals are left out', () => {
    const out = join(folder, 'no-internals.json');
    runPython([join(fixtures, 'trio_nursery.py')], {
      PYTHONPATH: [join(root, 'test', 'python'), join(root, 'python')].join(':'),
      PYTHONBREAKPOINT: 'probe_breakpoint_hook.stop',
      ASYNC_TOOLKIT_SNAPSHOT_OUT: out,
      ASYNC_TOOLKIT_PROBE_OPTIONS: JSON.stringify({ includeInternals: false }),
    });
    const { stoppedThread } = JSON.parse(readFileSync(out, 'utf8'));
    const ids = new Set(stoppedThread.tasks.map((task: { id: string }) => task.id));
    const roots = stoppedThread.tasks.filter((task: { parentId: string | null }) => task.parentId === null);
    assert.deepEqual(
      roots.map((task: { name: string }) => task.name),
      ['__main__.parent'],
    );
    for (const task of stoppedThread.tasks) assert.ok(task.parentId === null || ids.has(task.parentId));
  });
});

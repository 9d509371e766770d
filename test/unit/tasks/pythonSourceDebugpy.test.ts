import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  collectParts,
  installAndSnapshotExpression,
  interpretProbeResult,
  PROBE_MISSING,
  partExpression,
  probeModuleName,
  snapshotExpression,
  unquoteEvaluateResult,
} from '../../../src/tasks/sources/python/pythonSource';
import { DebugpyClient } from '../../support/debugpyClient';
import {
  pythonFixtures as fixtures,
  knownAsyncioProgram,
  python,
  repositoryRoot as root,
} from './pythonSourceInterpreter';

// The Python source's expressions through Debian's real debugpy adapter (no VS Code): what the
// extension sends and reads back, at the sizes where debugpy would cut or drop it.
const probePath = join(root, 'python', 'async_toolkit_probe.py');
const probeSource = readFileSync(probePath, 'utf8');
const moduleName = probeModuleName(probeSource);
const manyTasks = join(fixtures, 'many_tasks.py');

/** What the source does: the first answer, then the parts the probe holds. */
async function snapshotText(debugpy: DebugpyClient, frameId: number, expression: string): Promise<string> {
  const first = unquoteEvaluateResult(await debugpy.evaluate(frameId, expression));
  return collectParts(first, async (index) =>
    unquoteEvaluateResult(await debugpy.evaluate(frameId, partExpression(moduleName, index))),
  );
}

describe('Python source through a real debugpy evaluate', function () {
  this.timeout(180_000);
  let client: DebugpyClient | undefined;
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });

  it('brings back a 100 000-task snapshot whole, in parts under debugpy’s 16 MiB message limit', async () => {
    client = DebugpyClient.start(python);
    const { frameId } = await client.launchUntilStopped(python, manyTasks, ['100000']);
    // Every task in one flat page: the largest answer the probe can be asked for.
    const everything = { groupBy: 'none', limit: 200_000 };
    assert.equal(await client.evaluate(frameId, snapshotExpression(moduleName, everything)), PROBE_MISSING);
    const text = await snapshotText(
      client,
      frameId,
      installAndSnapshotExpression(moduleName, probeSource, probePath, everything),
    );
    // Larger than one DAP message may be: it came in several parts, and every part arrived.
    assert.ok(text.length > 16 * 1024 * 1024, `only ${text.length} characters came back`);
    const snapshot = interpretProbeResult(text);
    assert.equal(snapshot.truncated, undefined);
    assert.equal(snapshot.tasks.length, 100_001); // the sleepers and main
    const names = new Set(snapshot.tasks.map((task) => task.name));
    for (const name of ['sleeper-0', 'sleeper-50000', 'sleeper-99999', 'Task-1'])
      assert.ok(names.has(name), name);
    const last = snapshot.tasks.find((task) => task.name === 'sleeper-99999');
    assert.equal(last?.awaiting, 'asyncio.sleep(3600)');
    assert.equal(last?.stack?.[0]?.file, manyTasks);

    // The probe stays loaded: the next snapshot is one short expression.
    const again = interpretProbeResult(
      await snapshotText(client, frameId, snapshotExpression(moduleName, { groupBy: 'none', limit: 10 })),
    );
    assert.deepEqual(again.truncated, { totalTasks: 100_001, sentTasks: 10 });
  });

  it('is cut at 65 536 characters without rawString, which is why the source asks for it', async () => {
    client = DebugpyClient.start(python);
    const { frameId } = await client.launchUntilStopped(python, manyTasks, ['2000']);
    const flat = { groupBy: 'none', limit: 10_000 };
    const whole = await snapshotText(
      client,
      frameId,
      installAndSnapshotExpression(moduleName, probeSource, probePath, flat),
    );
    assert.equal(interpretProbeResult(whole).tasks.length, 2001);
    const cut = await client.evaluate(frameId, snapshotExpression(moduleName, flat), {
      context: 'repl',
      format: undefined,
    });
    assert.ok(cut.length < 70_000 && cut.length < whole.length, `repl gave ${cut.length} of ${whole.length}`);
    await assert.rejects(
      collectParts(unquoteEvaluateResult(cut), async () => ''),
      /^Error: Probe failed: (the snapshot arrived incomplete|unexpected answer)/,
    );
  });

  it('leaves the debugger working: a step, then a line breakpoint set after a snapshot, still stop the program', async () => {
    client = DebugpyClient.start(python);
    const program = knownAsyncioProgram();
    const { frameId, threadId } = await client.launchUntilStopped(python, program);
    const text = await snapshotText(
      client,
      frameId,
      installAndSnapshotExpression(moduleName, probeSource, probePath, {}),
    );
    assert.equal(
      interpretProbeResult(text).tasks.find((task) => task.name === 'consumer')?.awaiting,
      'Queue.get()',
    );
    // While the probe works, debugpy's tracer is off this thread (through debugpy's own
    // trace_this_thread); afterwards pydevd's tracer is back, and stepping still works.
    const tracerModule = `type(__import__('sys').gettrace()).__module__`;
    const probe = `__import__('sys').modules[${JSON.stringify(moduleName)}]`;
    assert.equal(await client.evaluate(frameId, `${probe}._as_guest(lambda: ${tracerModule})`), 'builtins');
    assert.match(await client.evaluate(frameId, tracerModule), /^_pydevd_bundle\./);
    const topLine = async (thread: number) =>
      (
        await client?.request<{ stackFrames: { line: number }[] }>('stackTrace', {
          threadId: thread,
          levels: 1,
        })
      )?.stackFrames[0].line;
    const before = await topLine(threadId);
    await client.request('next', { threadId });
    const stepped = await client.waitForEvent('stopped');
    assert.equal(stepped.body?.reason, 'step');
    assert.equal(await topLine(threadId), (before ?? 0) + 1);
    const doneLine = readFileSync(program, 'utf8').split('\n').indexOf("    print('done')") + 1;
    await client.request('setBreakpoints', { source: { path: program }, breakpoints: [{ line: doneLine }] });
    await client.request('continue', { threadId: 0 });
    const stopped = await client.waitForEvent('stopped');
    assert.equal(stopped.body?.reason, 'breakpoint');
    const trace = await client.request<{ stackFrames: { line: number }[] }>('stackTrace', {
      threadId: stopped.body?.threadId,
      levels: 1,
    });
    assert.equal(trace.stackFrames[0].line, doneLine);
  });

  it('says "not an async program" for a program without an event loop', async () => {
    client = DebugpyClient.start(python);
    const { frameId } = await client.launchUntilStopped(python, join(fixtures, 'not_async.py'));
    const text = await snapshotText(
      client,
      frameId,
      installAndSnapshotExpression(moduleName, probeSource, probePath, {}),
    );
    assert.throws(() => interpretProbeResult(text), /^Error: Not an async program: /);
  });
});

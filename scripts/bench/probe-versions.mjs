#!/usr/bin/env node
// Python probe on every CPython it supports: a snapshot of 10 000 pending asyncio tasks
// (test/fixtures/python/many_tasks.py, stopped at breakpoint()) on 3.9-3.13 under Debian's debugpy
// 1.6.6 running on that version, and on 3.14 in Pyodide without a debugger. Side by side, interleaved
// round after round, median of BENCH_RUNS (5):
//   all tasks       — this probe's snapshot_json() of every task (groupBy 'none'), timed in the program,
//                     three ways: as it runs (debugpy's tracer taken off the thread with debugpy's own
//                     trace_this_thread), with the tracer left on (its inner function called directly,
//                     the collector paused as the probe pauses it), and with sys.settrace(None) around
//                     that as the probe did until 2026-11-30 (pydevd then prints a warning into the
//                     program's stderr);
//   as the view asks — grouped at the source, 100 tasks per group (the setting's default), in the program;
//   end to end      — what the extension does: PythonSnapshotSource.capture() through evaluate (3.9-3.13);
//   previous probe  — with BENCH_COMPARE_PROBE=/abs/path/async_toolkit_probe.py (e.g. the main branch's,
//                     from `git show main:python/async_toolkit_probe.py`), its snapshot_json() of every
//                     task, the request it knew: what a change is measured against.
// Set-up (interpreters, Debian packages, Pyodide) is the python-versions layer's, cached.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readCommandLine } from '../lib/commandLine.mjs';
import { ensureDebianPythonPackages } from '../python-versions/debianPackages.mjs';
import { ensureVenv, findInterpreter, NATIVE_VERSIONS } from '../python-versions/interpreters.mjs';
import { ensurePyodide, PYODIDE_PYTHON } from '../python-versions/pyodide.mjs';
import { median } from './lib/median.mjs';

readCommandLine({
  usage: 'node scripts/bench/probe-versions.mjs (after a build; tuned by BENCH_* variables, no options)',
});

const root = new URL('../..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const { DebugpyClient } = require(join(root, 'out/test/support/debugpyClient.js'));
const source = require(join(root, 'out/src/tasks/sources/python/pythonSource.js'));
const TASKS = 10_000;
const RUNS = Number(process.env.BENCH_RUNS || 5);
const PER_GROUP = 100;
const REQUESTS = { all: { groupBy: 'none', limit: 1_000_000 }, grouped: { maxTasksPerGroup: PER_GROUP } };
const probePath = join(root, 'python', 'async_toolkit_probe.py');
const comparePath = process.env.BENCH_COMPARE_PROBE;
const program = join(root, 'test', 'fixtures', 'python', 'many_tasks.py');

const ms = (values) => (values?.length ? `${median(values).toFixed(0)} ms` : '—');

/** An expression timing `call` (a Python expression on `m`, the module) inside the program, in seconds. */
function timed(moduleName, call) {
  return `(lambda m, time: (lambda t0: (${call}, '%.6f' % (time.perf_counter() - t0))[1])(time.perf_counter()))(__import__('sys').modules[${JSON.stringify(moduleName)}], __import__('time'))`;
}

function snapshotCall(request) {
  return request
    ? `m.snapshot_json(**__import__('json').loads(${JSON.stringify(JSON.stringify(request))}))`
    : 'm.snapshot_json()';
}

async function underDebugpy(python) {
  const client = DebugpyClient.start(python);
  try {
    const { frameId, threadId } = await client.launchUntilStopped(python, program, [String(TASKS)]);
    const probes = [{ label: 'this', path: probePath }];
    if (comparePath) probes.push({ label: 'previous', path: comparePath });
    for (const probe of probes) {
      const text = readFileSync(probe.path, 'utf8');
      probe.moduleName = source.probeModuleName(text);
      // Loaded as the extension loads it; a small first request for this probe, none for the previous.
      await client.evaluate(
        frameId,
        source.installAndSnapshotExpression(
          probe.moduleName,
          text,
          probe.path,
          probe.label === 'this' ? { limit: 1, groupBy: 'none' } : {},
        ),
      );
    }
    const session = {
      type: 'debugpy',
      name: 'bench',
      customRequest: (command, args) => client.request(command, args),
    };
    const extensionSource = new source.PythonSnapshotSource({
      probePath,
      log: { info() {}, debug() {} },
    });
    const times = { all: [], leftOn: [], switched: [], grouped: [], endToEnd: [], previous: [] };
    const sizes = {};
    for (let run = 0; run < RUNS; run++) {
      const [self, previous] = probes;
      times.all.push(
        Number(await client.evaluate(frameId, timed(self.moduleName, snapshotCall(REQUESTS.all)))) * 1000,
      );
      const inner = `m._snapshot_json(__import__('json').loads(${JSON.stringify(JSON.stringify(REQUESTS.all))}))`;
      // Tracer left on, collector paused as the probe pauses it: only the tracer differs.
      const collectorPaused = `(lambda gc: (gc.disable(), ${inner}, gc.enable())[1])(__import__('gc'))`;
      times.leftOn.push(
        Number(await client.evaluate(frameId, timed(self.moduleName, collectorPaused))) * 1000,
      );
      // With the thread's tracer switched off around it by sys.settrace, as the probe did until 2026-11-30.
      times.switched.push(
        Number(
          await client.evaluate(
            frameId,
            timed(
              self.moduleName,
              `(lambda sys, tracer: (sys.settrace(None), ${collectorPaused}, sys.settrace(tracer))[1])(__import__('sys'), __import__('sys').gettrace())`,
            ),
          ),
        ) * 1000,
      );
      times.grouped.push(
        Number(await client.evaluate(frameId, timed(self.moduleName, snapshotCall(REQUESTS.grouped)))) * 1000,
      );
      if (previous)
        times.previous.push(
          Number(await client.evaluate(frameId, timed(previous.moduleName, snapshotCall()))) * 1000,
        );
      const started = performance.now();
      const snapshot = await extensionSource.capture(session, {
        stoppedThreadId: threadId,
        timeoutMs: 120_000,
        request: { maxTasksPerGroup: PER_GROUP },
      });
      times.endToEnd.push(performance.now() - started);
      if (snapshot.truncated?.totalTasks !== TASKS + 1)
        throw new Error(`expected ${TASKS + 1} tasks: ${JSON.stringify(snapshot.truncated)}`);
      sizes.grouped = JSON.stringify(snapshot).length;
    }
    return { times, sizes };
  } finally {
    await client.close();
  }
}

function inPyodide(sitePackages) {
  const home = ensurePyodide();
  const probes = [`${probePath}=this`, ...(comparePath ? [`${comparePath}=previous`] : [])];
  const result = spawnSync(
    process.execPath,
    [
      '--experimental-wasm-stack-switching',
      'scripts/python-versions/python-in-pyodide.mjs',
      '--pyodide',
      home,
      ...(comparePath ? ['--mount', dirname(comparePath)] : []),
      '--mount',
      sitePackages,
      '--',
      'scripts/bench/lib/probe_timing.py',
      String(TASKS),
      String(RUNS),
      JSON.stringify(REQUESTS),
      ...probes,
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`Pyodide timing failed: ${result.stderr}`);
  const { times } = JSON.parse(result.stdout.trim().split('\n').pop());
  return { times: { all: times['this all'], grouped: times['this grouped'], previous: times.previous } };
}

const sitePackages = ensureDebianPythonPackages();
console.log(
  `### Python probe on every CPython: ${TASKS.toLocaleString('en')} pending asyncio tasks (median of ${RUNS}, interleaved)`,
);
console.log(
  '| CPython | previous probe, all tasks | this probe, all tasks (tracer off by debugpy.trace_this_thread) | the same, tracer left on | the same, tracer off by sys.settrace | this probe, grouped as the view asks | end to end through debugpy, grouped | JSON grouped |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const minor of NATIVE_VERSIONS) {
  const interpreter = findInterpreter(minor);
  if (interpreter.missing) {
    console.log(`| ${minor} | ${interpreter.missing} | | | | | | |`);
    continue;
  }
  const { times, sizes } = await underDebugpy(ensureVenv(interpreter, sitePackages));
  console.log(
    `| ${interpreter.version} | ${ms(times.previous)} | ${ms(times.all)} | ${ms(times.leftOn)} | ${ms(times.switched)} | ${ms(times.grouped)} | ${ms(times.endToEnd)} | ${(sizes.grouped / 1024).toFixed(0)} KiB |`,
  );
}
const pyodide = inPyodide(sitePackages);
console.log(
  `| ${PYODIDE_PYTHON} (Pyodide, no debugger) | ${ms(pyodide.times.previous)} | ${ms(pyodide.times.all)} | — | — | ${ms(pyodide.times.grouped)} | — | — |`,
);

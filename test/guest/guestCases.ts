// The guest suite's programs (test/guest/cases/): each runs without the agent and with it in every
// creation-stack mode, on every supported Node major, and must print the same, to the byte, and exit
// the same. A case names the Node arguments its launch has, what its run without the agent must show
// (so that a case broken for everyone cannot pass), and any difference the agent cannot avoid.
import { join } from 'node:path';
import { agentPath, repositoryRoot } from '../unit/agent/runWithAgent';

export const casesDir = join(repositoryRoot, 'test', 'guest', 'cases');

export interface GuestCase {
  /** File in test/guest/cases. */
  file: string;
  /** What a pass proves, for the test's name. */
  proves: string;
  /** The launch's `runtimeArgs` on this major; undefined when the case does not apply there. */
  nodeArgs?: (major: number) => string[] | undefined;
  /** What the run without the agent prints and how it exits: the case did what it is about. */
  baseline: { code?: number; stdout?: RegExp; stderr?: RegExp };
  /**
   * A difference the agent cannot avoid, on these majors: both outputs go through `normalize` before
   * they are compared, so that everything else must still be identical.
   */
  knownDifference?: { majors: number[]; normalize: (text: string) => string; why: string };
}

/** Node's permission model flags: `--experimental-permission` on Node 20, `--permission` from 22. */
function permission(major: number, ...allow: string[]): string[] | undefined {
  if (major < 20) return undefined;
  return [
    major === 20 ? '--experimental-permission' : '--permission',
    `--allow-fs-read=${casesDir}/`,
    ...allow,
  ];
}

export const guestCases: GuestCase[] = [
  {
    file: 'frozenError.js',
    proves: 'a program that freezes Error runs to the end',
    baseline: { stdout: /^frozen Error: 380 2,4,6$/m },
  },
  {
    file: 'patchedGlobals.js',
    proves:
      "the agent calls none of the program's replacements of timers, clocks, Reflect, WeakRef, Map, JSON or the Error stack API",
    baseline: { stdout: /^setTimeout: 1\nstackTraceLimit in Error: false$/m },
  },
  {
    file: 'patchedBuiltins.js',
    proves:
      "a snapshot calls none of the program's replacements of array, map and string methods or iterators, nor its Object.prototype additions, and leaves them in place; it refuses when a change is permanent",
    baseline: {
      stdout:
        /^calls during the snapshot: 0, replacements intact: true\ncalls during the refused snapshot: 0$/m,
    },
  },
  {
    file: 'patchedBuiltinsInHooks.js',
    proves:
      "the agent's hooks, stack captures and its note of dropped work call none of the program's replacements of array, map, string and RegExp methods",
    nodeArgs: () => ['--expose-gc'],
    baseline: { stdout: /^total 4950; replaced methods called: none$/m },
  },
  {
    file: 'fakeTimers.js',
    proves: '@sinonjs/fake-timers sees only the program’s timers',
    baseline: {
      stdout: /^after next\(\): tick 50 at 50\nafter runAll\(\): tick 50, saved 3 at 150; timers 0$/m,
    },
  },
  {
    file: 'droppedObjects.js',
    proves: 'objects the program dropped are collected',
    nodeArgs: () => ['--expose-gc'],
    baseline: { stdout: /^jobs alive after GC: 0 of 200\nrequest buffers alive after GC: 0 of 100$/m },
  },
  {
    file: 'snapshotReadObjects.js',
    proves:
      'library objects a snapshot read for waits (a pool, an emitter) are collected once the program drops them',
    nodeArgs: () => ['--expose-gc'],
    baseline: { stdout: /^pool and emitter alive after GC: 0 of 2$/m },
  },
  {
    file: 'pendingCollected.js',
    proves: 'pending promises the program dropped are collected, and its own FinalizationRegistry sees each',
    nodeArgs: () => ['--expose-gc'],
    baseline: { stdout: /^collected 200 of 200, weak refs alive 0$/m },
  },
  {
    file: 'stackApiInJobs.js',
    proves: "stacks captured inside promise jobs never call the program's formatter nor show it the agent's",
    baseline: {
      stdout:
        /^2,3,3 \| made in a job @ outer\nexecutor: own formatter true, limit 3\nafter Promise.all: own formatter true, limit 3\nformatter calls: 1$/m,
    },
  },
  {
    file: 'promiseInspection.js',
    proves: 'snapshots run no code of the program',
    baseline: {
      stdout:
        /^held 6\nprogram formatter ran for never formatted\nthe program reads its error: never formatted \(with frames\)$/m,
    },
  },
  {
    file: 'libraryObjects.js',
    proves:
      "reading a library's objects for a wait (generic-pool, p-queue) runs none of the program's accessors",
    baseline: { stdout: /^waiting: 1 and 1, 4 asked\nqueue: 1 running, 2 waiting$/m },
  },
  {
    file: 'redisObjects.js',
    proves: "reading an ioredis client's queues for a command's wait runs none of the program's accessors",
    baseline: { stdout: /^queued: 1 and 1, 2 asked$/m },
  },
  {
    file: 'pgPoolObjects.js',
    proves: "reading a node-postgres pool for the waits in it runs none of the program's accessors",
    baseline: { stdout: /^waiting: 1 and 0, 3 asked$/m },
  },
  {
    file: 'pipelineStreams.js',
    proves: "reading a stalled pipeline's streams for its wait runs none of the program's accessors",
    baseline: { stdout: /^disk took 3 writes, pipeline settled: false$/m },
  },
  {
    file: 'onceEmitters.js',
    proves:
      "reading the emitters events.once waits on (their listeners, sockets and peers) runs none of the program's accessors or proxy traps",
    baseline: { stdout: /^resolved: 1,2,3,4,5,5,data$/m },
  },
  {
    file: 'replacedPromise.js',
    proves: 'a program that replaces globalThis.Promise runs unchanged',
    baseline: { stdout: /^mine, async done, 4 native pending$/m },
  },
  {
    file: 'esmTopLevelAwait.mjs',
    proves: 'an ES module with top-level await runs unchanged',
    baseline: { stdout: /^inner \/$/m },
  },
  {
    file: 'permissionModel.js',
    proves: 'under the permission model, a launch that does not allow reading the agent runs unchanged',
    nodeArgs: (major) => permission(major),
    baseline: { stdout: /^total 45\nmay read this folder: true$/m },
  },
  {
    file: 'permissionModel.js',
    proves: 'under the permission model, a launch that allows the agent runs unchanged',
    nodeArgs: (major) =>
      permission(major, `--allow-fs-read=${agentPath}`, ...(major >= 24 ? ['--allow-inspector'] : [])),
    baseline: { stdout: /^total 45\nmay read this folder: true$/m },
  },
  {
    file: 'asyncIds.js',
    proves: 'async ids the program sees are the same',
    baseline: { stdout: /^in AsyncLocalStorage 7: /m },
    knownDifference: {
      majors: [18, 20, 22, 26],
      normalize: (text) => text.replace(/resource \d+\//g, 'resource <id>/'),
      why:
        'a new AsyncResource gets one id more: on Node 18–22 inside AsyncLocalStorage.run after an await with any ' +
        'promise hook installed (a bare `v8.promiseHooks.createHook({ init() {} })` does the same); on Node 26 ' +
        'after `for await` over a stream with any async hook enabled (a bare `createHook({ init() {}, trackPromises: false })`)',
    },
  },
  {
    file: 'nodeTestAsyncIds.js',
    proves: 'node:test output is the same, but for async ids in diffs on Node 24+',
    nodeArgs: () => ['--test-reporter', join(casesDir, 'nodeTestReporter.mjs')],
    baseline: {
      code: 1,
      stdout: /^not ok a resource made after an await\n[\s\S]*async_id_symbol[\s\S]*^ok passes$/m,
    },
    knownDifference: {
      majors: [24, 26],
      normalize: (text) => text.replace(/(async_id_symbol|trigger_async_id_symbol)\)\]?: \d+/g, '$1: <id>'),
      why:
        'with any promise hook installed (a bare `v8.promiseHooks.createHook({ init() {} })` does the same), ' +
        'node:test on Node 24+ hands out one more async id before the test runs',
    },
  },
];

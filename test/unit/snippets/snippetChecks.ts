// How each snippet is proven to work, keyed by its (first) prefix. A snippet is expanded with its
// defaults (or with the values in `typed`, as a user would type them), placed between `prelude` and
// `driver`, and run: Python with `python3 -W error`, JavaScript with Node, TypeScript type-checked with
// `strict` and then run. The insertion point is the end of the prelude: its last line's indentation is
// the indentation VS Code gives the snippet's lines.
// A snippet without an entry here fails the test suite.

export interface Variant {
  /** What this run shows, in the test name. */
  label?: string;
  /** Replace the check's expectations for this run. */
  expect?: RegExp;
  expectStderr?: RegExp;
  /** Text typed over tab stop N. */
  typed?: Record<number, string>;
  /** Python modules made unimportable for this run (to prove an optional import is optional). */
  hiddenModules?: string[];
}

export interface Check {
  prelude?: string;
  /** Prelude for the TypeScript run, when the JavaScript one needs type annotations. */
  tsPrelude?: string;
  driver?: string;
  typed?: Record<number, string>;
  /** stdout must match. */
  expect?: RegExp;
  /** stderr must match (otherwise stderr must be empty). */
  expectStderr?: RegExp;
  /** Further runs with other values. */
  variants?: Variant[];
  /** Node major version needed to run it (default: the Node running the tests). */
  node?: number;
  /** A server: started, probed with an echo round trip on 127.0.0.1, then stopped. */
  server?: { portTabStop: number };
  /** A client: run against each of these server snippets (by prefix), started on a free port. */
  client?: { portTabStop: number; servers: string[] };
  /** A long-running program: once stdout matches `after`, `send` is delivered and it must exit 0. */
  signal?: { after: RegExp; send: NodeJS.Signals };
}

const asyncioMain = (definitions = '', body = '') =>
  `import asyncio\nimport sys\n\n${definitions}\n\nasync def main() -> None:\n${body}    `;
const runMain = (lines = '') => `${lines}\n\nasyncio.run(main())\n`;
const trioMain = (definitions = '') => `import trio\n\n${definitions}\n\nasync def main() -> None:\n    `;

export const checks: Record<string, Check> = {
  // ── asyncio: entry points ──
  aiomain: { typed: { 1: 'print("main ran")' }, expect: /^main ran\n$/ },
  aiohello: { expect: /^Hello World!\n$/ },
  aioperiodic: {
    typed: { 2: '0.3', 3: '0.1' },
    expect: /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+\n){2,3}$/,
  },
  aiochain: { typed: { 2: '0.01' }, expect: /Compute 1 \+ 2 \.\.\.\n1 \+ 2 = 3\n/ },
  aiogather: {
    prelude: asyncioMain(
      'async def first() -> int:\n    await asyncio.sleep(0.01)\n    return 1\n\n\nasync def second() -> int:\n    return 2',
    ),
    driver: runMain('    print(results)'),
    expect: /^\[1, 2\]\n$/,
  },
  aiogathererrors: {
    prelude: asyncioMain(
      'async def first() -> int:\n    return 1\n\n\nasync def second() -> int:\n    raise ValueError("boom")',
    ),
    driver: runMain(),
    expect: /^ok: 1\nfailed: ValueError\('boom'\)\n$/,
  },
  aiotaskgroup: {
    prelude: asyncioMain('async def fetch(n: int) -> int:\n    await asyncio.sleep(0.01)\n    return n * 10'),
    driver: runMain(),
    expect: /^10 20\n$/,
  },
  aiotaskgrouperrors: {
    prelude: asyncioMain(
      'async def process(n: int) -> None:\n    await asyncio.sleep(0.01 * n)\n    if n == 2:\n        raise ValueError(f"bad {n}")',
      '    items = [1, 2, 3]\n',
    ),
    driver: runMain(),
    expect: /^failed: ValueError\('bad 2'\)\n$/,
  },
  aiocreatetask: {
    prelude: asyncioMain(
      'background_tasks: set[asyncio.Task[None]] = set()\n\n\nasync def work() -> None:\n    await asyncio.sleep(0.01)\n    print("work done")',
    ),
    driver: runMain(
      '    print(len(background_tasks))\n    await asyncio.sleep(0.1)\n    print(len(background_tasks))',
    ),
    expect: /^1\nwork done\n0\n$/,
  },
  aiofuture: { typed: { 2: '0.01' }, expect: /^Future is done!\n$/ },
  aiorunner: {
    prelude:
      'import asyncio\n\n\nasync def setup() -> None:\n    print("setup")\n\n\nasync def main() -> None:\n    print("main")\n\n\n',
    expect: /^setup\nmain\n$/,
  },
  aioloop: {
    prelude: 'import asyncio\n\n\nasync def setup() -> None:\n    print("setup done")\n\n\n',
    typed: { 2: 'loop.call_later(0.05, loop.stop)' },
    driver: 'print("loop closed:", loop.is_closed())\n',
    expect: /^setup done\nloop closed: True\n$/,
  },
  // ── asyncio: protocols ──
  aioawaitable: {
    prelude: 'import asyncio\n\n\n',
    driver: '\n\nasync def main() -> None:\n    print(await Delay(0.01))\n\n\nasyncio.run(main())\n',
    expect: /^0\.01\n$/,
  },
  aioiterator: {
    prelude: 'import asyncio\n\n\n',
    driver: runMain(
      '\n\nasync def main() -> None:\n    reader = asyncio.StreamReader()\n    reader.feed_data(b"one\\ntwo\\n")\n    reader.feed_eof()\n    async for line in LineReader(reader):\n        print(line)',
    ),
    expect: /^b'one\\n'\nb'two\\n'\n$/,
  },
  aiocontextclass: {
    prelude: 'import asyncio\n',
    driver: runMain(
      '\n\nclass Tracked(Connection):\n    async def open(self) -> None:\n        print("open")\n\n    async def close(self) -> None:\n        print("close")\n\n\nasync def main() -> None:\n    async with Tracked() as connection:\n        print("inside", type(connection).__name__)',
    ),
    expect: /^open\ninside Tracked\nclose\n$/,
  },
  aiocontextmanager: {
    prelude:
      'import asyncio\n\nResource = str\n\n\nasync def acquire(name: str) -> str:\n    print("acquire", name)\n    return name\n\n\nasync def release(resource: str) -> None:\n    print("release", resource)\n\n\n',
    driver: runMain(
      '\n\nasync def main() -> None:\n    async with open_resource("db") as resource:\n        print("using", resource)',
    ),
    expect: /^acquire db\nusing db\nrelease db\n$/,
  },
  aiogenerator: {
    prelude: 'import asyncio\n',
    driver: runMain('\n\nasync def main() -> None:\n    print([tick async for tick in ticks(3, 0.01)])'),
    expect: /^\[0, 1, 2\]\n$/,
  },
  aiofor: {
    prelude: asyncioMain('async def numbers():\n    yield 1\n    yield 2', '    source = numbers()\n'),
    driver: runMain(),
    expect: /^1\n2\n$/,
  },
  // ── asyncio: concurrency tools ──
  aioqueue: { expect: /^(consumer-\d handled \d\n){10}$/ },
  aiolock: {
    prelude:
      'import asyncio\n\nlock = asyncio.Lock()\ncounter = 0\n\n\nasync def increment() -> None:\n    global counter\n    ',
    typed: {
      2: 'value = counter\n        await asyncio.sleep(0)  # another task runs here\n        counter = value + 1',
    },
    driver: runMain(
      '\n\nasync def main() -> None:\n    await asyncio.gather(*(increment() for _ in range(100)))\n    print(counter)',
    ),
    // Without the lock every task reads 0 before any writes: the count would be 1.
    expect: /^100\n$/,
  },
  aiosemaphore: {
    prelude: asyncioMain(
      'active = 0\npeak = 0\n\n\nasync def process(item: int) -> int:\n    global active, peak\n    active += 1\n    peak = max(peak, active)\n    await asyncio.sleep(0.01)\n    active -= 1\n    return item * 2',
      '    items = range(20)\n',
    ),
    typed: { 1: '3' },
    driver: runMain('    print(peak, sum(results))'),
    expect: /^3 380\n$/,
  },
  aioevent: {
    prelude: asyncioMain(),
    driver: runMain(),
    expect: /^(waiter \d woke up\n){3}$/,
  },
  aiotimeout: {
    prelude: asyncioMain('async def operation() -> None:\n    await asyncio.sleep(10)'),
    typed: { 1: '0.05' },
    driver: runMain(),
    expect: /^timed out\n$/,
  },
  aiowaitfor: {
    prelude: asyncioMain('async def operation() -> int:\n    await asyncio.sleep(10)\n    return 1'),
    typed: { 3: '0.05' },
    driver: runMain('    print(result)'),
    expect: /^None\n$/,
  },
  aiocancel: {
    prelude: asyncioMain(),
    driver: runMain('    print("cancelled:", task.cancelled())'),
    expect: /^worker: cleaning up\ncancelled: True\n$/,
  },
  aiotothread: {
    prelude: asyncioMain(
      'def blocking_function(value: int) -> int:\n    import time\n\n    time.sleep(0.01)\n    return value * 2',
      '    argument = 21\n',
    ),
    driver: runMain('    print(result)'),
    expect: /^42\n$/,
  },
  aioexecutor: {
    expect: /^333328333350000\n$/,
    variants: [{ label: 'with a thread pool', typed: { 5: 'ThreadPoolExecutor' } }],
  },
  aiosubprocess: {
    prelude: asyncioMain(),
    driver: runMain('    print(returncode)'),
    expect: /^one\ntwo\n0\n$/,
  },
  aiosignal: {
    signal: { after: /running/, send: 'SIGTERM' },
    expect: /^running, press Ctrl\+C to stop\nshutting down\n$/,
  },
  // ── asyncio: low level ──
  aiocallbacks: {
    typed: { 1: '0.2' },
    expect:
      /^call_soon: on the next loop iteration\n(.|\n)*call_soon_threadsafe: from another thread\n(.|\n)*call_later: 0\.2 s later\n$/,
  },
  aioprotocolserver: { server: { portTabStop: 4 } },
  aioprotocolclient: {
    client: { portTabStop: 4, servers: ['aioprotocolserver', 'aioechoserver'] },
    expect: /^received b'Hello, World!'\n$/,
  },
  aioechoserver: { server: { portTabStop: 4 } },
  aioechoclient: {
    client: {
      portTabStop: 2,
      servers: ['aioechoserver', 'aioprotocolserver', 'trioechoserver', 'tornadoechoserver', 'netechoserver'],
    },
    expect: /^received b'Hello, World!'\n$/,
  },
  aiouvloop: {
    typed: { 1: 'print(type(asyncio.get_running_loop()).__module__)' },
    expect: /^uvloop\n$/,
    variants: [
      {
        label: 'where uvloop is not installed',
        typed: { 1: 'print(type(asyncio.get_running_loop()).__module__)' },
        hiddenModules: ['uvloop'],
        expect: /^asyncio\./,
      },
    ],
  },
  // ── threads and processes ──
  threadqueue: { expect: /^(?=(.|\n)*^A$)(?=(.|\n)*^B$)(?=(.|\n)*^C$)(?=(.|\n)*^D$)([A-D]\n){4}$/m },
  threadpool: { expect: /^([a-d] contents of [a-d]\n){4}$/ },
  procqueue: { expect: /^(?=(.|\n)*^10000 333283335000$)(\d+ \d+\n){4}$/m },
  procpool: { expect: /^(?=(.|\n)*^10000 333283335000$)(\d+ \d+\n){4}$/m },
  // ── trio ──
  trionursery: {
    typed: { 2: '0.05', 3: '0.05' },
    expect: /^parent: started!\n(.|\n)*child1: exiting!\n(.|\n)*parent: all done!\n$/,
  },
  trioechoserver: { server: { portTabStop: 2 } },
  trioechoclient: {
    typed: { 1: '0.01' },
    client: { portTabStop: 4, servers: ['trioechoserver', 'aioechoserver'] },
    expect: /^receiver: got b'async can be confusing, '\n(.|\n)*receiver: connection closed\n$/,
  },
  triomoveonafter: {
    prelude: trioMain('async def operation() -> None:\n    await trio.sleep(10)'),
    typed: { 1: '0.05' },
    driver: '\n\ntrio.run(main)\n',
    expect: /^gave up waiting\n$/,
  },
  triofailafter: {
    prelude: trioMain('async def operation() -> None:\n    await trio.sleep(10)'),
    typed: { 1: '0.05' },
    driver: '\n\ntrio.run(main)\n',
    expect: /^timed out\n$/,
  },
  triocancelscope: {
    prelude: trioMain(),
    typed: { 5: 'await trio.sleep(0.01)' },
    driver: '\n\ntrio.run(main)\n',
    expect: /^work: cancelled\n$/,
  },
  triochannel: { expect: /^got 0\ngot 1\ngot 2\ngot 3\ngot 4\n$/ },
  // ── Twisted, Tornado ──
  twistedreact: { typed: { 3: '0.05' }, expect: /^waiting\.\.\.\ndone\n$/ },
  tornadoechoserver: { server: { portTabStop: 3 } },

  // ── JavaScript / TypeScript ──
  promiseall: {
    prelude: "const loadFirst = async () => 1;\nconst loadSecond = async () => 'two';\n",
    driver: '\nconsole.log(first, second);\n',
    expect: /^1 two\n$/,
  },
  promiseallsettled: {
    prelude: "const first = async () => 1;\nconst second = async () => {\n  throw new Error('boom');\n};\n",
    expect: /^1\n$/,
    expectStderr: /Error: boom/,
  },
  promiserace: {
    prelude:
      "const primary = () => new Promise((resolve) => setTimeout(resolve, 200, 'primary'));\nconst fallback = async () => 'fallback';\n",
    driver: '\nconsole.log(winner);\n',
    expect: /^fallback\n$/,
  },
  promiseany: {
    prelude:
      "const fromMirrorA = async () => {\n  throw new Error('down');\n};\nconst fromMirrorB = async () => 'from B';\n",
    expect: /^from B\n$/,
    variants: [
      {
        label: 'when every promise rejects',
        typed: { 3: 'fromMirrorA()' },
        expect: /^$/,
        expectStderr: /^every attempt failed: \[/,
      },
    ],
  },
  timerssleep: { typed: { 2: '10' }, driver: "\nconsole.log('slept');\n", expect: /^slept\n$/ },
  timersinterval: { typed: { 2: '10' }, expect: /^(tick \d+\n){3}$/ },
  abortcontroller: {
    prelude:
      "import { setTimeout as delay } from 'node:timers/promises';\nconst operation = ({ signal }) => delay(10_000, undefined, { signal });\n",
    tsPrelude:
      "import { setTimeout as delay } from 'node:timers/promises';\nconst operation = ({ signal }: { signal: AbortSignal }) => delay(10_000, undefined, { signal });\n",
    typed: { 2: 'setTimeout(() => controller.abort(), 20);' },
    expect: /^cancelled\n$/,
  },
  aborttimeout: {
    prelude:
      "import { setTimeout as delay } from 'node:timers/promises';\nconst operation = ({ signal }) => delay(10_000, undefined, { signal });\n",
    tsPrelude:
      "import { setTimeout as delay } from 'node:timers/promises';\nconst operation = ({ signal }: { signal: AbortSignal }) => delay(10_000, undefined, { signal });\n",
    typed: { 1: '20' },
    expect: /^$/,
    expectStderr: /^timed out: DOMException \[TimeoutError\]/,
  },
  abortany: {
    prelude:
      "import { setTimeout as delay } from 'node:timers/promises';\nconst operation = ({ signal }) => delay(10_000, undefined, { signal });\n",
    tsPrelude:
      "import { setTimeout as delay } from 'node:timers/promises';\nconst operation = ({ signal }: { signal: AbortSignal }) => delay(10_000, undefined, { signal });\n",
    typed: { 2: '20' },
    expect: /^$/,
    expectStderr: /^timed out\n$/,
    variants: [
      {
        label: 'cancelled by the controller',
        typed: { 2: '5000', 3: 'setTimeout(() => controller.abort(), 20);\n  await operation({ signal });' },
        expectStderr: /^cancelled\n$/,
      },
    ],
  },
  asyncfor: {
    prelude: 'async function* numbers() {\n  yield 1;\n  yield 2;\n}\nconst source = numbers();\n',
    expect: /^1\n2\n$/,
  },
  eventsonce: {
    prelude:
      "import { EventEmitter } from 'node:events';\nconst emitter = new EventEmitter();\nsetTimeout(() => emitter.emit('ready', 42), 10);\n",
    driver: '\nconsole.log(value);\n',
    expect: /^42\n$/,
  },
  eventson: {
    prelude:
      "import { EventEmitter } from 'node:events';\nconst emitter = new EventEmitter();\nsetTimeout(() => {\n  emitter.emit('data', 'a');\n  emitter.emit('data', 'b');\n  stop.abort();\n}, 10);\n",
    expect: /^a\nb\n$/,
  },
  netechoserver: { server: { portTabStop: 2 } },
  netechoclient: {
    client: { portTabStop: 1, servers: ['netechoserver', 'aioechoserver'] },
    expect: /^received Hello, World!\n$/,
  },
  workerthread: { expect: /^worker replied 42\n$/ },
  toplevelawait: {
    prelude: 'const loadConfig = async () => ({ port: 8080 });\n',
    driver: '\nconsole.log(config.port);\n',
    expect: /^8080\n$/,
  },
  promisewithresolvers: {
    node: 22,
    prelude:
      "import { EventEmitter } from 'node:events';\nconst emitter = new EventEmitter();\nsetTimeout(() => emitter.emit('ready'), 10);\n",
    driver: "\nconsole.log('ready resolved');\n",
    expect: /^ready resolved\n$/,
  },
  promiseretry: {
    driver:
      "\nlet calls = 0;\nconst value = await retry(\n  async (attempt) => {\n    calls++;\n    if (attempt < 3) throw new Error('flaky');\n    return 'ok';\n  },\n  { baseDelayMs: 1 },\n);\nconsole.log(value, calls);\n",
    expect: /^ok 3\n$/,
  },
  promisepool: {
    driver:
      '\nlet active = 0;\nlet peak = 0;\nconst out = await mapWithConcurrency([1, 2, 3, 4, 5, 6], 2, async (n) => {\n  active++;\n  peak = Math.max(peak, active);\n  await new Promise((resolve) => setTimeout(resolve, 5));\n  active--;\n  return n * 10;\n});\nconsole.log(out.join(), peak);\n',
    expect: /^10,20,30,40,50,60 2\n$/,
  },
  asyncgenerator: {
    driver: '\nfor await (const tick of ticks(3, 1)) console.log(tick);\n',
    expect: /^0\n1\n2\n$/,
  },
  asynciterator: {
    driver: '\nfor await (const n of new Countdown(3)) console.log(n);\n',
    expect: /^3\n2\n1\n$/,
  },
};

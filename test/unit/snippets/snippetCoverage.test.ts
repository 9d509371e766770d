// The topics the snippet library promises (issue 4 and the seed notes), each found in the expanded text of
// at least one snippet for the language. A topic that loses its snippet fails here.
import * as assert from 'node:assert/strict';
import { expandSnippet } from '../../support/snippets/expandSnippet';
import { loadSnippets, type Snippet } from '../../support/snippets/loadSnippets';

interface Topic {
  topic: string;
  /** Matched against the snippet expanded with its defaults, and its choices. */
  pattern: RegExp;
}

const python: Topic[] = [
  { topic: 'asyncio.run(main()) entry point', pattern: /asyncio\.run\(main\(\)\)/ },
  { topic: 'hello world coroutine', pattern: /async def hello_world\(\)[\s\S]*Hello World!/ },
  {
    topic: 'periodic "display date" loop',
    pattern: /datetime\.datetime\.now\(\)[\s\S]*await asyncio\.sleep\(interval\)/,
  },
  { topic: 'chained coroutines', pattern: /async def compute\([\s\S]*= await compute\(/ },
  {
    topic: 'gather without return_exceptions',
    pattern: /await asyncio\.gather\((?![^\n]*return_exceptions)/,
  },
  { topic: 'gather with return_exceptions', pattern: /asyncio\.gather\([^\n]*return_exceptions=True/ },
  { topic: 'asyncio.TaskGroup', pattern: /async with asyncio\.TaskGroup\(\) as tg:/ },
  {
    topic: 'create_task keeping a reference',
    pattern: /asyncio\.create_task\([\s\S]*\.add\(task\)[\s\S]*add_done_callback\(\w+\.discard\)/,
  },
  {
    topic: 'a Future resolved by another task',
    pattern: /create_future\(\)[\s\S]*create_task[\s\S]*await future/,
  },
  { topic: 'asyncio.Runner', pattern: /with asyncio\.Runner\(\) as runner:/ },
  {
    topic: 'explicit loop: run_until_complete / run_forever',
    pattern: /new_event_loop\(\)[\s\S]*run_until_complete[\s\S]*run_forever\(\)/,
  },
  { topic: '__await__', pattern: /def __await__\(self\)/ },
  {
    topic: '__aiter__ / __anext__ / StopAsyncIteration',
    pattern: /def __aiter__[\s\S]*async def __anext__[\s\S]*raise StopAsyncIteration/,
  },
  { topic: '__aenter__ / __aexit__', pattern: /async def __aenter__[\s\S]*async def __aexit__/ },
  { topic: 'contextlib.asynccontextmanager', pattern: /@(contextlib\.)?asynccontextmanager\n/ },
  { topic: 'async generator', pattern: /async def \w+\([^)]*\)[^\n]*AsyncIterator[\s\S]*\n\s+yield / },
  {
    topic: 'asyncio.Queue producer/consumer with clean shutdown',
    pattern: /asyncio\.Queue[\s\S]*await queue\.join\(\)[\s\S]*\.cancel\(\)/,
  },
  { topic: 'asyncio.Lock', pattern: /async with lock:/ },
  {
    topic: 'asyncio.Semaphore bounding concurrency',
    pattern: /asyncio\.Semaphore\([\s\S]*async with semaphore:/,
  },
  { topic: 'asyncio.Event', pattern: /asyncio\.Event\(\)[\s\S]*\.wait\(\)[\s\S]*\.set\(\)/ },
  { topic: 'asyncio.timeout', pattern: /async with asyncio\.timeout\(/ },
  { topic: 'asyncio.wait_for', pattern: /await asyncio\.wait_for\(/ },
  {
    topic: 'cancellation re-raising CancelledError',
    pattern: /except asyncio\.CancelledError:\n[^\n]*\n\s+raise\b/,
  },
  { topic: 'asyncio.to_thread', pattern: /await asyncio\.to_thread\(/ },
  { topic: 'run_in_executor with a process pool', pattern: /ProcessPoolExecutor[\s\S]*run_in_executor\(/ },
  {
    topic: 'run_in_executor with a thread pool',
    pattern:
      /ThreadPoolExecutor[\s\S]*run_in_executor\(|run_in_executor\([\s\S]*choices: [^\n]*ThreadPoolExecutor/,
  },
  {
    topic: 'create_subprocess_exec with streams',
    pattern: /create_subprocess_exec\([\s\S]*PIPE[\s\S]*async for line in proc\.stdout/,
  },
  { topic: 'loop.add_signal_handler', pattern: /loop\.add_signal_handler\(/ },
  {
    topic: 'call_soon / call_later / call_soon_threadsafe',
    pattern: /call_soon\([\s\S]*call_later\([\s\S]*call_soon_threadsafe\(/,
  },
  {
    topic: 'asyncio.Protocol server with transports',
    pattern: /\(asyncio\.Protocol\)[\s\S]*create_server\(/,
  },
  {
    topic: 'asyncio.Protocol client with transports',
    pattern: /\(asyncio\.Protocol\)[\s\S]*create_connection\(/,
  },
  { topic: 'streams echo server (start_server)', pattern: /asyncio\.start_server\(/ },
  { topic: 'streams client (open_connection)', pattern: /asyncio\.open_connection\(/ },
  { topic: 'uvloop, guarded', pattern: /try:\n\s*import uvloop\nexcept ImportError:/ },
  { topic: 'queues + threading workers', pattern: /queue\.Queue[\s\S]*threading\.Thread\(/ },
  {
    topic: 'queues + multiprocessing workers',
    pattern: /multiprocessing\.Queue\(\)[\s\S]*multiprocessing\.Process\(/,
  },
  { topic: 'ThreadPoolExecutor with as_completed', pattern: /ThreadPoolExecutor\([\s\S]*as_completed\(/ },
  { topic: 'ProcessPoolExecutor with as_completed', pattern: /ProcessPoolExecutor\([\s\S]*as_completed\(/ },
  {
    topic: 'trio nursery with children',
    pattern: /async with trio\.open_nursery\(\) as nursery:[\s\S]*start_soon[\s\S]*start_soon/,
  },
  { topic: 'trio.serve_tcp echo server', pattern: /await trio\.serve_tcp\(/ },
  { topic: 'trio.open_tcp_stream client', pattern: /trio\.open_tcp_stream\(/ },
  { topic: 'trio cancel scope', pattern: /trio\.CancelScope\(\)[\s\S]*\.cancel\(\)/ },
  { topic: 'trio.move_on_after', pattern: /with trio\.move_on_after\(/ },
  { topic: 'trio.fail_after', pattern: /with trio\.fail_after\(/ },
  { topic: 'trio memory channels', pattern: /trio\.open_memory_channel\(/ },
  { topic: 'Twisted Deferred from a coroutine', pattern: /defer\.ensureDeferred\(|@defer\.inlineCallbacks/ },
  { topic: 'Tornado TCP server or coroutine', pattern: /from tornado\.\w+ import/ },
];

const javaScript: Topic[] = [
  { topic: 'Promise.all', pattern: /await Promise\.all\(\[/ },
  { topic: 'Promise.allSettled', pattern: /await Promise\.allSettled\(/ },
  { topic: 'Promise.race', pattern: /await Promise\.race\(/ },
  { topic: 'Promise.any', pattern: /await Promise\.any\(/ },
  { topic: 'node:timers/promises', pattern: /from 'node:timers\/promises'/ },
  { topic: 'AbortController', pattern: /new AbortController\(\)[\s\S]*\.abort\(\)/ },
  { topic: 'AbortSignal.timeout', pattern: /AbortSignal\.timeout\(/ },
  { topic: 'AbortSignal.any', pattern: /AbortSignal\.any\(\[/ },
  { topic: 'for await', pattern: /for await \(const / },
  { topic: 'Symbol.asyncIterator', pattern: /\[Symbol\.asyncIterator\]\(\)/ },
  { topic: 'async generator', pattern: /async function\* / },
  {
    topic: 'bounded concurrency: a worker pool over a queue',
    pattern: /async function worker\(\)[\s\S]*Promise\.all\(Array\.from\(\{ length: Math\.min\(limit/,
  },
  { topic: 'retry with backoff', pattern: /for \(let attempt = 1;[\s\S]*2 \*\* \(attempt - 1\)/ },
  { topic: 'events.once', pattern: /import \{ once \} from 'node:events'/ },
  { topic: 'events.on', pattern: /import \{ on \} from 'node:events'/ },
  {
    topic: 'node:net echo server',
    pattern: /import \{ createServer \} from 'node:net'[\s\S]*socket\.pipe\(socket\)/,
  },
  { topic: 'node:net client', pattern: /import \{ connect \} from 'node:net'/ },
  {
    topic: 'worker_threads message round trip',
    pattern: /new Worker\([\s\S]*postMessage[\s\S]*parentPort\?\.postMessage/,
  },
  { topic: 'Promise.withResolvers', pattern: /Promise\.withResolvers(<[^>]*>)?\(\)/ },
  { topic: 'top-level await in an ES module', pattern: /^const \w+ = await / },
];

function searchableText(snippet: Snippet): string {
  const expansion = expandSnippet(snippet.body);
  const choices = expansion.tabStops
    .filter((stop) => stop.choices)
    .map((stop) => `choices: ${stop.choices?.join(',')}`);
  return [expansion.text, ...choices].join('\n');
}

describe('snippet coverage', () => {
  const snippets = loadSnippets();
  const texts = new Map(snippets.map((snippet) => [snippet, searchableText(snippet)]));
  const coverage: [string, Topic[]][] = [
    ['python', python],
    ['javascript', javaScript],
    ['javascriptreact', javaScript],
    ['typescript', javaScript],
    ['typescriptreact', javaScript],
  ];
  for (const [language, topics] of coverage) {
    describe(language, () => {
      for (const { topic, pattern } of topics) {
        it(`has a snippet for ${topic}`, () => {
          const found = snippets.filter(
            (snippet) => snippet.languages.includes(language) && pattern.test(texts.get(snippet) ?? ''),
          );
          assert.ok(found.length > 0, `no ${language} snippet matches ${pattern}`);
        });
      }
    });
  }
});

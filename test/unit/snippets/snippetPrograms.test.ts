// Every snippet, expanded as VS Code expands it, is run: Python with `python3 -W error`, JavaScript with
// Node, TypeScript type-checked with `strict` and then run. Servers are started on a free 127.0.0.1 port,
// answered by a real client and stopped. Runs go a few at a time (most of them wait on timers or sockets).
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { unusedPort, waitForPort } from '../../support/loopbackPorts';
import { nodeBinary } from '../../support/nodeBinary';
import { python } from '../../support/pythonInterpreter';
import { repositoryRoot } from '../../support/repositoryRoot';
import { type ExpansionOptions, expandSnippet } from '../../support/snippets/expandSnippet';
import {
  isJavaScript,
  isPython,
  isTypeScript,
  loadSnippets,
  type Snippet,
} from '../../support/snippets/loadSnippets';
import {
  echoRoundTrip,
  type ProgramResult,
  type RunningProgram,
  startProgram,
} from '../../support/snippets/runProgram';
import { typeCheckFiles } from '../../support/snippets/typeCheck';
import { type Check, checks, type Variant } from './snippetChecks';

type Language = 'python' | 'javascript' | 'typescript';

interface Run {
  title: string;
  snippet: Snippet;
  check: Check;
  variant: Variant;
  language: Language;
  directory: string;
}

const parallelRuns = Number(process.env.ASYNC_TOOLKIT_SNIPPET_JOBS) || 4;
const runTimeoutMs = 30_000;
const testMessage = 'ping from the snippet test\n';

const snippets = loadSnippets();
const byPrefix = (prefix: string, language: Language) =>
  snippets.find((snippet) => snippet.prefixes[0] === prefix && languagesOf(snippet).includes(language));

function languagesOf(snippet: Snippet): Language[] {
  const found: Language[] = [];
  if (isPython(snippet)) found.push('python');
  if (isJavaScript(snippet)) found.push('javascript');
  if (isTypeScript(snippet)) found.push('typescript');
  return found;
}

function sourceOf(
  run: Pick<Run, 'snippet' | 'check' | 'variant' | 'language'>,
  typedPort?: [number, number],
): string {
  const { snippet, check, variant, language } = run;
  const prelude = (language === 'typescript' ? (check.tsPrelude ?? check.prelude) : check.prelude) ?? '';
  const typed = { ...check.typed, ...variant.typed };
  if (typedPort) typed[typedPort[0]] = String(typedPort[1]);
  const options: ExpansionOptions = {
    typed,
    indentation:
      language === 'python' ? { insertSpaces: true, tabSize: 4 } : { insertSpaces: true, tabSize: 2 },
    lineIndentation: /[ \t]*$/.exec(prelude)?.[0] ?? '',
  };
  return `${prelude}${expandSnippet(snippet.body, options).text}\n${check.driver ?? ''}`;
}

// ASYNC_TOOLKIT_SNIPPET_NODE=18 runs the JavaScript and TypeScript snippets on that Node major instead,
// skipping those whose description asks for a newer one: a check of the "Node N+" the descriptions promise.
const nodeOverride = Number(process.env.ASYNC_TOOLKIT_SNIPPET_NODE) || undefined;
const currentNodeMajor = Number(process.versions.node.split('.')[0]);

/** The Node major a description asks for ("Node 20.3+" → 20), if any. */
function declaredNodeMajor(snippet: Snippet): number | undefined {
  const found = /Node (\d+)(\.\d+)*\+/.exec(snippet.description);
  return found ? Number(found[1]) : undefined;
}

function nodeFor(check: Check): string {
  const major = nodeOverride ?? check.node;
  if (!major || (!nodeOverride && currentNodeMajor >= major) || major === currentNodeMajor)
    return process.execPath;
  const binary = nodeBinary(major);
  assert.ok(existsSync(binary), `Node ${major} is not available: no ${binary}`);
  return binary;
}

/** Writes the program and starts it; TypeScript is transpiled after it has been type-checked. */
function start(run: Run, source: string, name = 'snippet'): RunningProgram {
  const options = { cwd: run.directory, timeoutMs: runTimeoutMs };
  if (run.language === 'python') {
    const file = join(run.directory, `${name}.py`);
    writeFileSync(file, source);
    const env: NodeJS.ProcessEnv = { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };
    if (run.variant.hiddenModules?.length) {
      const hidden = join(run.directory, 'hidden-modules');
      mkdirSync(hidden, { recursive: true });
      for (const module of run.variant.hiddenModules) {
        writeFileSync(join(hidden, `${module}.py`), `raise ImportError("${module} is hidden by the test")\n`);
      }
      env.PYTHONPATH = hidden;
    }
    return startProgram(python, ['-W', 'error', file], { ...options, env });
  }
  const javascript =
    run.language === 'typescript'
      ? transformSync(source, { loader: 'ts', format: 'esm', target: 'es2022' }).code
      : source;
  const file = join(run.directory, `${name}.mjs`);
  writeFileSync(file, javascript);
  return startProgram(nodeFor(run.check), [file], options);
}

function describeFailure(source: string, result: { stdout: string; stderr: string }, extra = ''): string {
  const numbered = source
    .split('\n')
    .map((line, index) => `${String(index + 1).padStart(3)}  ${line}`)
    .join('\n');
  return `${extra}\n--- program ---\n${numbered}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}

function assertOutput(run: Run, source: string, result: ProgramResult): void {
  const expect = run.variant.expect ?? run.check.expect;
  const expectStderr = run.variant.expectStderr ?? run.check.expectStderr;
  const context = (what: string) => describeFailure(source, result, what);
  assert.equal(result.timedOut, false, context(`did not finish within ${runTimeoutMs} ms`));
  assert.equal(result.code, 0, context(`exit code ${result.code} (signal ${result.signal})`));
  if (expect) assert.match(result.stdout, expect, context('unexpected stdout'));
  if (expectStderr) assert.match(result.stderr, expectStderr, context('unexpected stderr'));
  else assert.equal(result.stderr, '', context('stderr must be empty (warnings are errors)'));
}

async function startServer(
  serverRun: Run,
): Promise<{ program: RunningProgram; port: number; source: string }> {
  const server = serverRun.check.server;
  assert.ok(server, `${serverRun.snippet.prefixes[0]} has no server check`);
  const port = await unusedPort();
  const source = sourceOf(serverRun, [server.portTabStop, port]);
  const program = start(serverRun, source, 'server');
  let running = true;
  void program.exited.then(() => {
    running = false;
  });
  try {
    await waitForPort(port, { timeoutMs: 15_000, intervalMs: 50, stillRunning: () => running });
  } catch (error) {
    program.signal('SIGKILL');
    const result = await program.exited;
    throw new Error(describeFailure(source, result, String(error)));
  }
  return { program, port, source };
}

async function stopServer(server: { program: RunningProgram; source: string }): Promise<void> {
  const before = server.program.output();
  server.program.signal('SIGTERM');
  const result = await server.program.exited;
  assert.equal(before.stderr, '', describeFailure(server.source, result, 'the server wrote to stderr'));
}

async function execute(run: Run, typeErrors: Map<string, string[]>): Promise<void> {
  if (run.language === 'typescript') {
    const problems = typeErrors.get(join(run.directory, 'snippet.mts')) ?? ['not type-checked'];
    assert.deepEqual(
      problems,
      [],
      describeFailure(sourceOf(run), { stdout: '', stderr: '' }, 'tsc --strict'),
    );
  }
  const { check } = run;
  if (check.server) {
    const server = await startServer(run);
    try {
      const echoed = await echoRoundTrip(server.port, testMessage, 10_000);
      assert.equal(
        echoed,
        testMessage,
        describeFailure(server.source, server.program.output(), 'echo round trip'),
      );
    } finally {
      await stopServer(server);
    }
    return;
  }
  if (check.client) {
    throw new Error('client runs are planned per server');
  }
  const source = sourceOf(run);
  const program = start(run, source);
  if (check.signal) {
    await program.waitForOutput(check.signal.after);
    program.signal(check.signal.send);
  }
  assertOutput(run, source, await program.exited);
}

async function executeClient(run: Run, serverRun: Run): Promise<void> {
  const client = run.check.client;
  assert.ok(client);
  const server = await startServer(serverRun);
  try {
    const source = sourceOf(run, [client.portTabStop, server.port]);
    assertOutput(run, source, await start(run, source).exited);
  } finally {
    await stopServer(server);
  }
}

/** Runs at most `limit` jobs at once. */
function limiter(limit: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await job();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

describe('snippets run', function () {
  this.timeout(240_000);
  const root = mkdtempSync(join(tmpdir(), 'async-toolkit-snippets-'));
  const plans: { title: string; run: Run; job: (typeErrors: Map<string, string[]>) => Promise<void> }[] = [];
  let counter = 0;
  const newRun = (snippet: Snippet, check: Check, variant: Variant, language: Language): Run => {
    const directory = join(root, String(counter++));
    mkdirSync(directory);
    const label = variant.label ? ` — ${variant.label}` : '';
    return {
      title: `${language} ${snippet.prefixes[0]}: ${snippet.name}${label}`,
      snippet,
      check,
      variant,
      language,
      directory,
    };
  };
  for (const snippet of snippets) {
    const check = checks[snippet.prefixes[0]];
    if (!check) continue; // reported by the conventions test
    for (const language of languagesOf(snippet)) {
      if (nodeOverride && language !== 'python' && (declaredNodeMajor(snippet) ?? 0) > nodeOverride) continue;
      for (const variant of [{}, ...(check.variants ?? [])]) {
        if (check.client) {
          for (const serverPrefix of check.client.servers) {
            const serverSnippet = byPrefix(serverPrefix, 'python') ?? byPrefix(serverPrefix, 'javascript');
            const run = newRun(snippet, check, variant, language);
            run.title += ` — against ${serverPrefix}`;
            const job = async (typeErrors: Map<string, string[]>) => {
              assert.ok(serverSnippet, `no server snippet ${serverPrefix}`);
              const serverLanguage = languagesOf(serverSnippet)[0];
              const serverRun = newRun(serverSnippet, checks[serverPrefix], {}, serverLanguage);
              if (language === 'typescript') {
                const problems = typeErrors.get(join(run.directory, 'snippet.mts')) ?? ['not type-checked'];
                assert.deepEqual(
                  problems,
                  [],
                  describeFailure(sourceOf(run), { stdout: '', stderr: '' }, 'tsc --strict'),
                );
              }
              await executeClient(run, serverRun);
            };
            plans.push({ title: run.title, run, job });
          }
        } else {
          const run = newRun(snippet, check, variant, language);
          plans.push({ title: run.title, run, job: (typeErrors) => execute(run, typeErrors) });
        }
      }
    }
  }

  const outcomes = new Map<string, Promise<void>>();
  before(() => {
    const typeScriptFiles: string[] = [];
    for (const { run } of plans) {
      if (run.language !== 'typescript') continue;
      const file = join(run.directory, 'snippet.mts');
      writeFileSync(file, sourceOf(run));
      typeScriptFiles.push(file);
    }
    const typeErrors = typeCheckFiles(typeScriptFiles, join(repositoryRoot, 'node_modules'));
    const limit = limiter(parallelRuns);
    for (const plan of plans) {
      const outcome = limit(() => plan.job(typeErrors));
      outcome.catch(() => {}); // reported by its own test
      outcomes.set(plan.title, outcome);
    }
  });
  after(async () => {
    await Promise.allSettled(outcomes.values());
    rmSync(root, { recursive: true, force: true });
  });

  for (const plan of plans) {
    it(plan.title, () => outcomes.get(plan.title));
  }
});

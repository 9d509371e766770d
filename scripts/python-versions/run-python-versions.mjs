#!/usr/bin/env node
// The probe on every CPython it supports, side by side: the `python-versions` test layer.
//   node scripts/python-versions/run-python-versions.mjs [--versions 3.9,3.14] [-- <pytest arguments>]
// For each of 3.9-3.13 (pyenv interpreters with Debian's pure-Python pytest, trio and debugpy unpacked
// into the cache): pytest over test/python, then the Python source's end-to-end tests through a real
// debugpy on that version (launch, stop, evaluate the probe as the extension does, read the snapshot),
// and the test that the probe prints nothing into the program's output. For 3.14 (Pyodide): the
// probe's in-process tests, which need no threads or subprocesses. Versions run in parallel; the
// set-up (one download, one unpack, one venv per version) is cached and shared.
// Prints the version table, writes it to test-results/python-versions.md, and records the counts in
// $ASYNC_TOOLKIT_RESULTS/python-versions.json like the other layers. A missing interpreter is a failure.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDebianPythonPackages } from './debianPackages.mjs';
import { ensureVenv, findInterpreter, NATIVE_VERSIONS } from './interpreters.mjs';
import { countCases, readJunitReport } from './junitReport.mjs';
import { ensurePyodide, PYODIDE_PYTHON } from './pyodide.mjs';

const root = resolve(new URL('../..', import.meta.url).pathname);
const { values, positionals: pytestArguments } = parseArgs({
  options: { versions: { type: 'string' } },
  allowPositionals: true,
});
const ALL_VERSIONS = [...NATIVE_VERSIONS, '3.14'];
const versions = values.versions ? values.versions.split(',').map((version) => version.trim()) : ALL_VERSIONS;
for (const version of versions) {
  if (!ALL_VERSIONS.includes(version)) {
    console.error(`Unknown version "${version}"; known: ${ALL_VERSIONS.join(', ')}`);
    process.exit(2);
  }
}

/** The table's columns, and which test goes in which: the first rule that matches. */
const COLUMNS = [
  'asyncio',
  'trio',
  'findings',
  'frameworks',
  'through debugpy',
  'safety hammer',
  'nothing printed',
];
function columnOfPytestCase({ file, name }) {
  if (name.includes('prints_nothing')) return 'nothing printed';
  if (file === 'test_probe_trio.py') return 'trio';
  if (file === 'test_probe_findings.py') return 'findings';
  if (file === 'test_probe_frameworks.py') return 'frameworks';
  if (file === 'test_probe_safety.py') return 'safety hammer';
  return 'asyncio';
}
/** Why Pyodide cannot run a column at all (it has no threads, subprocesses or sockets). */
const PYODIDE_CANNOT = {
  trio: 'not run: trio does not import in Pyodide (NotImplementedError: unsupported platform: no epoll or kqueue)',
  'through debugpy': 'not run: Pyodide has no subprocesses or sockets, so no debugpy',
  'safety hammer': 'not run: Pyodide has no threads to snapshot from',
  findings: 'not run: the findings programs run as subprocesses, which Pyodide has not',
  frameworks: "not run: Pyodide has no sockets or subprocesses for the frameworks' programs",
};
// The in-process tests run on the native versions too; only the "nothing printed" column shows them
// there beside the end-to-end check under debugpy.

const work = mkdtempSync(join(tmpdir(), 'python-versions-'));
const log = (line) => console.log(`[python-versions] ${line}`);

/** Runs a command, prefixing its output with the version; resolves with its exit status and time. */
function run(label, command, args, env = {}) {
  const started = Date.now();
  return new Promise((resolveRun) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = (stream, target) => {
      let pending = '';
      stream.on('data', (chunk) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop();
        for (const line of lines) target.write(`[${label}] ${line}\n`);
      });
      stream.on('end', () => pending && target.write(`[${label}] ${pending}\n`));
    };
    prefix(child.stdout, process.stdout);
    prefix(child.stderr, process.stderr);
    child.on('close', (status, signal) =>
      resolveRun({ status: status ?? signal, seconds: (Date.now() - started) / 1000 }),
    );
  });
}

/** Reads a mocha counts file written by scripts/run-mocha.mjs. */
function mochaCounts(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Each version's row: per column { passed, failed, skipped, reasons, cannot }, and failures. */
const rows = new Map();
function row(version, label) {
  if (!rows.has(version)) {
    const columns = Object.fromEntries(
      COLUMNS.map((column) => [column, { passed: 0, failed: 0, skipped: 0, reasons: new Set() }]),
    );
    rows.set(version, { label, columns, failedTests: [], seconds: 0, notes: [] });
  }
  return rows.get(version);
}

function addPytestCases(entry, cases, titlePrefix) {
  for (const testCase of cases) {
    const cell = entry.columns[columnOfPytestCase(testCase)];
    cell[testCase.outcome] += 1;
    if (testCase.outcome === 'skipped') cell.reasons.add(testCase.message.replace(/^Skipped: /, ''));
  }
  entry.failedTests.push(...countCases(cases, titlePrefix).failedTests);
}

async function nativeVersion(minor, sitePackages) {
  const interpreter = findInterpreter(minor);
  const entry = row(minor, interpreter.version ?? `${minor} (missing)`);
  if (interpreter.missing) {
    entry.failedTests.push({ title: `CPython ${minor}: not installed`, error: interpreter.missing });
    entry.notes.push(interpreter.missing);
    return;
  }
  const python = ensureVenv(interpreter, sitePackages);
  // The end-to-end tests skip their trio case where trio does not import; mocha's counts do not
  // say so, the table does.
  const trioCheck = spawnSync(python, ['-c', 'import trio'], { encoding: 'utf8' });
  if (trioCheck.status !== 0) {
    const why = trioCheck.stderr.trim().split('\n').pop();
    entry.columns['through debugpy'].skipped += 1;
    entry.columns['through debugpy'].reasons.add(`the trio case: ${why}`);
  }
  const results = join(work, minor);
  mkdirSync(results, { recursive: true });
  const junit = join(results, 'pytest.xml');
  const pytest = await run(`${minor} pytest`, python, [
    '-m',
    'pytest',
    '-q',
    '-p',
    'no:cacheprovider',
    // pytest 7.2 builds ast.Num for its assertion rewriting, deprecated from 3.12: hundreds of lines of noise.
    '-W',
    'ignore::DeprecationWarning:_pytest.assertion.rewrite',
    `--junit-xml=${junit}`,
    'test/python',
    ...pytestArguments,
  ]);
  const cases = readJunitReport(junit);
  addPytestCases(entry, cases, `CPython ${interpreter.version} pytest `);
  if (!cases.length)
    entry.failedTests.push({ title: `CPython ${minor} pytest`, error: `exited ${pytest.status}, no report` });
  entry.seconds += pytest.seconds;

  // The Python source's end-to-end tests (test/unit/tasks/pythonSourceEndToEnd.test.ts and the
  // debugpy evaluate tests), compiled by the build, with this interpreter as adapter and debuggee.
  for (const [column, name, grep] of [
    ['through debugpy', 'debugpy', 'through a real debugpy'],
    ['nothing printed', 'quiet', 'prints nothing under debugpy'],
  ]) {
    const mocha = await run(
      `${minor} ${name}`,
      process.execPath,
      ['scripts/run-mocha.mjs', name, 'out/test/unit', '--grep', grep],
      { ASYNC_TOOLKIT_PYTHON: python, ASYNC_TOOLKIT_RESULTS: results, CI: 'true' },
    );
    entry.seconds += mocha.seconds;
    const counts = mochaCounts(join(results, `${name}.json`));
    const cell = entry.columns[column];
    if (!counts) {
      cell.failed += 1;
      entry.failedTests.push({
        title: `CPython ${minor} ${column}`,
        error: `mocha exited ${mocha.status}, no counts`,
      });
      continue;
    }
    cell.passed += counts.passed;
    cell.failed += counts.failed;
    for (const failure of counts.failedTests ?? [])
      entry.failedTests.push({ ...failure, title: `CPython ${interpreter.version} ${failure.title}` });
  }
}

async function pyodideVersion(sitePackages) {
  const entry = row('3.14', `${PYODIDE_PYTHON} (Pyodide)`);
  const home = ensurePyodide(log);
  const junit = join(work, '3.14', 'pytest.xml');
  mkdirSync(dirname(junit), { recursive: true });
  const result = await run('3.14 pytest', process.execPath, [
    '--experimental-wasm-stack-switching',
    'scripts/python-versions/python-in-pyodide.mjs',
    '--pyodide',
    home,
    '--mount',
    sitePackages,
    '--path',
    sitePackages,
    '--mount',
    dirname(junit),
    '--',
    '-m',
    'pytest',
    // pytest 7.2's assertion rewriting builds ast.Str nodes, which 3.14 removed: plain asserts, so the
    // in-process tests write their own messages.
    '--assert=plain',
    '-p',
    'no:cacheprovider',
    '-q',
    `--junit-xml=${junit}`,
    'test/python/test_probe_in_process.py',
    ...pytestArguments,
  ]);
  entry.seconds += result.seconds;
  const cases = readJunitReport(junit);
  addPytestCases(entry, cases, `CPython ${PYODIDE_PYTHON} (Pyodide) pytest `);
  if (!cases.length)
    entry.failedTests.push({ title: 'Pyodide pytest', error: `exited ${result.status}, no report` });
  for (const [column, why] of Object.entries(PYODIDE_CANNOT)) entry.columns[column].cannot = why;
}

function cellText(cell) {
  const ran = cell.passed + cell.failed;
  const reasons = [...cell.reasons].filter(Boolean);
  if (!ran) return cell.cannot ?? (reasons.length ? `not run: ${reasons.join('; ')}` : 'no tests');
  const head = cell.failed ? `✗ ${cell.failed} of ${ran} failed` : `✓ ${ran}`;
  return cell.skipped ? `${head} (${cell.skipped} skipped: ${reasons.join('; ')})` : head;
}

const started = Date.now();
let sitePackages;
try {
  sitePackages = ensureDebianPythonPackages(log);
} catch (error) {
  console.error(`[python-versions] ${error.message}`);
  process.exit(1);
}
// Versions in parallel, as many at once as there are cores; each version's steps in sequence.
const queue = versions.map(
  (version) => () =>
    version === '3.14' ? pyodideVersion(sitePackages) : nativeVersion(version, sitePackages),
);
const workers = Array.from({ length: Math.min(availableParallelism(), queue.length) }, async () => {
  while (queue.length) await queue.shift()();
});
await Promise.all(workers);

const table = [
  `| CPython | ${COLUMNS.join(' | ')} | time (s) |`,
  `|---|${COLUMNS.map(() => '---').join('|')}|---|`,
  ...versions.map((version) => {
    const entry = rows.get(version);
    const cells = entry.notes.length
      ? COLUMNS.map((_, index) => (index === 0 ? `✗ not installed: ${entry.notes.join('; ')}` : '✗'))
      : COLUMNS.map((column) => cellText(entry.columns[column]));
    return `| ${entry.label} | ${cells.join(' | ')} | ${entry.seconds.toFixed(0)} |`;
  }),
].join('\n');
const failedTests = versions.flatMap((version) => rows.get(version).failedTests);
const passed = versions.reduce(
  (sum, version) =>
    sum + Object.values(rows.get(version).columns).reduce((total, cell) => total + cell.passed, 0),
  0,
);
console.log(
  `\n### The probe on every CPython version (${new Date().toISOString().slice(0, 10)}, ${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
);
console.log(table);
mkdirSync(join(root, 'test-results'), { recursive: true });
writeFileSync(join(root, 'test-results', 'python-versions.md'), `${table}\n`);
if (process.env.ASYNC_TOOLKIT_RESULTS) {
  writeFileSync(
    join(process.env.ASYNC_TOOLKIT_RESULTS, 'python-versions.json'),
    JSON.stringify({ passed, failed: failedTests.length, failedTests }),
  );
}
rmSync(work, { recursive: true, force: true });
process.exit(failedTests.length || passed === 0 ? 1 : 0);

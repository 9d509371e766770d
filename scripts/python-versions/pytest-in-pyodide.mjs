#!/usr/bin/env node
// Runs pytest inside Pyodide (CPython 3.14 as WebAssembly) on the probe's in-process tests.
//   node --experimental-wasm-stack-switching scripts/python-versions/pytest-in-pyodide.mjs \
//     --pyodide <folder of pyodide.mjs> --site-packages <Debian dist-packages> --junit <report.xml> \
//     -- <pytest arguments>
// Host folders are mounted at their own absolute paths, so the paths pytest, the probe and the tests
// see are the real ones. Exits with pytest's status.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: {
    pyodide: { type: 'string' },
    'site-packages': { type: 'string' },
    junit: { type: 'string' },
  },
  allowPositionals: true,
});
if (!values.pyodide || !values['site-packages'] || !values.junit) {
  console.error('usage: pytest-in-pyodide.mjs --pyodide DIR --site-packages DIR --junit FILE -- ARGS');
  process.exit(2);
}
const root = resolve(new URL('../..', import.meta.url).pathname);
const junit = resolve(values.junit);
mkdirSync(dirname(junit), { recursive: true });

const { loadPyodide } = await import(pathToFileURL(resolve(values.pyodide, 'pyodide.mjs')).href);
const pyodide = await loadPyodide({ indexURL: `${resolve(values.pyodide)}/` });
for (const folder of [root, values['site-packages'], dirname(junit)]) {
  pyodide.FS.mkdirTree(folder);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: folder }, folder);
}
pyodide.globals.set('pytest_arguments', pyodide.toPy([...positionals, `--junit-xml=${junit}`]));
pyodide.globals.set('search_path', pyodide.toPy([values['site-packages']]));
pyodide.globals.set('repository', root);
// pytest's assertion rewriting (7.2) builds ast.Str nodes, which 3.14 removed: plain asserts are used,
// so the tests write their own messages. Nothing is written next to the sources (no .pyc, no cache).
pyodide.runPython(`
import os, sys
sys.dont_write_bytecode = True
sys.path[:0] = list(search_path)
os.chdir(repository)

def run_pytest():
    import pytest
    return int(pytest.main(['--assert=plain', '-p', 'no:cacheprovider', *pytest_arguments]))
`);
// Called "promising" rather than through runPythonAsync: the tests' asyncio.run() can then block on
// the JavaScript event loop (stack switching) without pytest itself running inside an asyncio task,
// whose task every snapshot would list.
const status = await pyodide.globals.get('run_pytest').callPromising();
process.exit(Number(status));

#!/usr/bin/env node
// `python` for CPython 3.14 in Pyodide (WebAssembly): runs a script or a module with arguments.
//   node --experimental-wasm-stack-switching scripts/python-versions/python-in-pyodide.mjs \
//     --pyodide <folder of pyodide.mjs> [--mount <host folder>]… -- (<script.py> | -m <module>) [arguments]
// The repository and each --mount folder are mounted at their own absolute paths, so the paths Python
// sees are the real ones; --mount folders are also put first on sys.path when they hold packages
// (Debian's dist-packages). Exits with the program's status (SystemExit), 1 on an exception.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: {
    pyodide: { type: 'string' },
    mount: { type: 'string', multiple: true, default: [] },
    path: { type: 'string', multiple: true, default: [] },
  },
  allowPositionals: true,
});
if (!values.pyodide || !positionals.length) {
  console.error(
    'usage: python-in-pyodide.mjs --pyodide DIR [--mount DIR]… [--path DIR]… -- (script.py | -m module) [args]',
  );
  process.exit(2);
}
const root = resolve(new URL('../..', import.meta.url).pathname);

const { loadPyodide } = await import(pathToFileURL(resolve(values.pyodide, 'pyodide.mjs')).href);
const pyodide = await loadPyodide({ indexURL: `${resolve(values.pyodide)}/` });
for (const folder of new Set([root, ...values.mount.map((folder) => resolve(folder))])) {
  pyodide.FS.mkdirTree(folder);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: folder }, folder);
}
pyodide.globals.set('program_arguments', pyodide.toPy(positionals));
pyodide.globals.set('search_path', pyodide.toPy(values.path.map((folder) => resolve(folder))));
pyodide.globals.set('repository', root);
// Nothing is written next to the sources (no .pyc).
pyodide.runPython(`
import os, runpy, sys
sys.dont_write_bytecode = True
sys.path[:0] = list(search_path)
os.chdir(repository)

def run_program():
    arguments = list(program_arguments)
    try:
        if arguments[0] == '-m':
            sys.argv = arguments[1:]
            runpy.run_module(arguments[1], run_name='__main__', alter_sys=True)
        else:
            sys.argv = arguments
            sys.path.insert(0, os.path.dirname(os.path.abspath(arguments[0])))
            runpy.run_path(arguments[0], run_name='__main__')
    except SystemExit as exit:
        return exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    except BaseException:
        import traceback
        traceback.print_exc()
        return 1
    return 0
`);
// Called "promising" rather than through runPythonAsync: the program's asyncio.run() can then block on
// the JavaScript event loop (stack switching) without the program itself running inside an asyncio
// task, which every snapshot would list.
const status = await pyodide.globals.get('run_program').callPromising();
process.exit(Number(status));

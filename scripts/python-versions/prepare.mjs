#!/usr/bin/env node
// Prepares what the python-versions layer and the probe-versions benchmark use, and says what it found:
// Debian's pure-Python packages (one apt-get download, unpacked into the cache), a venv per pyenv CPython,
// and Pyodide. Idempotent and quick once cached; CI runs it before the tests so that a missing piece
// shows at the top of the log. Exits 1 when an interpreter is missing.
//   node scripts/python-versions/prepare.mjs
import { ensureDebianPythonPackages } from './debianPackages.mjs';
import { ensureVenv, findInterpreter, NATIVE_VERSIONS } from './interpreters.mjs';
import { ensurePyodide, PYODIDE_PYTHON, PYODIDE_VERSION } from './pyodide.mjs';

const log = (line) => console.log(`[python-versions] ${line}`);
const sitePackages = ensureDebianPythonPackages(log);
log(`Debian packages: ${sitePackages}`);
let missing = 0;
for (const minor of NATIVE_VERSIONS) {
  const interpreter = findInterpreter(minor);
  if (interpreter.missing) {
    missing += 1;
    log(`CPython ${minor}: MISSING — ${interpreter.missing}`);
    continue;
  }
  log(`CPython ${interpreter.version}: ${ensureVenv(interpreter, sitePackages)}`);
}
log(`CPython ${PYODIDE_PYTHON}: pyodide@${PYODIDE_VERSION} in ${ensurePyodide(log)}`);
process.exit(missing ? 1 : 0);

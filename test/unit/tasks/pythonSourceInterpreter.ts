// The Python the Python source's tests run against: ASYNC_TOOLKIT_PYTHON (the python-versions layer
// sets it to each CPython in turn), else Debian's /usr/bin/python3. What differs between versions is
// read from the interpreter itself, once.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { python } from '../../support/pythonInterpreter';
import { repositoryRoot } from '../../support/repositoryRoot';

export { python, repositoryRoot };
export const pythonFixtures = join(repositoryRoot, 'test', 'fixtures', 'python');

interface InterpreterFacts {
  version: [number, number];
  /** Why `import trio` fails here (Debian's trio 0.22 on 3.13), or null. */
  trioImportError: string | null;
}

let facts: InterpreterFacts | undefined;

function interpreterFacts(): InterpreterFacts {
  if (!facts) {
    const result = spawnSync(
      python,
      [
        '-c',
        `import json, sys
try:
    import trio
    error = None
except Exception as caught:
    error = '%s: %s' % (type(caught).__name__, caught)
print(json.dumps({'version': list(sys.version_info[:2]), 'trioImportError': error}))`,
      ],
      { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
    );
    if (result.status !== 0) throw new Error(`${python} failed: ${result.stderr}`);
    facts = JSON.parse(result.stdout) as InterpreterFacts;
  }
  return facts;
}

export function pythonVersion(): [number, number] {
  return interpreterFacts().version;
}

export function trioImportError(): string | null {
  return interpreterFacts().trioImportError;
}

/** The asyncio program with a known structure: with a TaskGroup from 3.11, without one before. */
export function knownAsyncioProgram(): string {
  const [major, minor] = pythonVersion();
  return join(pythonFixtures, major > 3 || minor >= 11 ? 'asyncio_known.py' : 'asyncio_known_before_3_11.py');
}

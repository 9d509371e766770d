// The CPython interpreters the probe is tested on, each with Debian's pure-Python packages on its
// path. The project's machines have them under pyenv (`$(pyenv root)/versions/<x.y.z>/bin/python`);
// each gets a small venv in the cache whose `.pth` file adds the unpacked Debian packages. A venv
// rather than PYTHONPATH: the probe's tests run fixture programs with an environment of their own,
// and debugpy starts the debuggee as a new process; both keep a venv's site folder, not a PYTHONPATH.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cacheDir } from '../test-host/cache.mjs';

/** CPython minor versions tested natively; 3.14 runs in Pyodide (pyodide.mjs). */
export const NATIVE_VERSIONS = ['3.9', '3.10', '3.11', '3.12', '3.13'];

function pyenvRoot() {
  if (process.env.PYENV_ROOT) return process.env.PYENV_ROOT;
  try {
    return execFileSync('pyenv', ['root'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return join(homedir(), '.pyenv');
  }
}

/**
 * `{ minor, version, python }` for the newest pyenv CPython of this minor version, or
 * `{ minor, missing }` saying where it was looked for.
 */
export function findInterpreter(minor) {
  const versions = join(pyenvRoot(), 'versions');
  const pattern = new RegExp(`^${minor.replace('.', '\\.')}\\.(\\d+)$`);
  const candidates = existsSync(versions)
    ? readdirSync(versions)
        .map((name) => ({ name, patch: Number(pattern.exec(name)?.[1]) }))
        .filter(({ patch }) => Number.isInteger(patch))
        .sort((a, b) => b.patch - a.patch)
    : [];
  for (const { name } of candidates) {
    const python = join(versions, name, 'bin', 'python');
    if (existsSync(python)) return { minor, version: name, python };
  }
  return { minor, missing: `no CPython ${minor}.x at ${join(versions, `${minor}.*`, 'bin', 'python')}` };
}

/**
 * The venv's python for this interpreter, created on first use, with `sitePackages` on its path.
 * Built under a temporary name and renamed, so that parallel runs never see half a venv.
 */
export function ensureVenv(interpreter, sitePackages) {
  const home = join(cacheDir, 'python-venvs', interpreter.version);
  const python = join(home, 'bin', 'python');
  const pthLine = `${sitePackages}\n`;
  const pth = (root) => {
    const lib = join(root, 'lib');
    const [folder] = existsSync(lib) ? readdirSync(lib).filter((name) => name.startsWith('python')) : [];
    return folder ? join(lib, folder, 'site-packages', 'debian-packages.pth') : undefined;
  };
  const current = pth(home);
  if (existsSync(python) && current && existsSync(current) && readFileSync(current, 'utf8') === pthLine) {
    return python;
  }
  const building = `${home}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(join(cacheDir, 'python-venvs'), { recursive: true });
  execFileSync(interpreter.python, ['-m', 'venv', '--without-pip', building], { stdio: 'inherit' });
  writeFileSync(pth(building), pthLine);
  rmSync(home, { recursive: true, force: true });
  try {
    renameSync(building, home);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(python)) throw error;
  }
  return python;
}

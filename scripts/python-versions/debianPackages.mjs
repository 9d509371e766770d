// Debian's pure-Python pytest, trio, debugpy and the frameworks the probe is tested on, unpacked once into the cache for every CPython the
// probe is tested on. `apt-get download` fetches the .deb files without installing anything (no root
// needed once the package lists exist) and `dpkg -x` unpacks each under one folder; the interpreters
// then find them through a `.pth` file (interpreters.mjs). The packages are Debian 12's, written for
// its Python 3.11, and pure Python: measured to import on 3.9-3.13, except trio 0.22 on 3.13+.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../test-host/cache.mjs';

/** Each package the probe's tests need, with why; their Debian dependencies are listed as well. */
export const DEBIAN_PYTHON_PACKAGES = [
  // pytest 7.2 and what it imports (exceptiongroup and tomli only before 3.11).
  'python3-pytest',
  'python3-pluggy',
  'python3-iniconfig',
  'python3-packaging',
  'python3-py',
  'python3-attr',
  'python3-more-itertools',
  'python3-pkg-resources',
  'python3-exceptiongroup',
  'python3-tomli',
  // trio 0.22 and its dependencies.
  'python3-trio',
  'python3-async-generator',
  'python3-idna',
  'python3-outcome',
  'python3-sniffio',
  'python3-sortedcontainers',
  // debugpy 1.6.6 (its adapter, launcher and pydevd), and what pydevd imports (typing-extensions
  // for bytecode on 3.9). pydevd's compiled speed-ups are built for 3.11: elsewhere it runs its
  // pure-Python tracer, which is what users of those versions get from Debian's debugpy too.
  'python3-debugpy',
  'python3-pydevd',
  'python3-bytecode',
  'python3-typing-extensions',
  // The frameworks the probe describes (test_probe_frameworks.py): httpx 0.23 with httpcore, h11 and
  // anyio; websockets 10.4; aiohttp 3.8 with multidict, yarl and frozenlist. aiohttp's parsers and
  // those three have pure-Python fallbacks for the C extensions Debian builds for 3.11 only; uvloop
  // has none, so it imports on 3.11 alone (the table says so).
  'python3-httpx',
  'python3-httpcore',
  'python3-h11',
  'python3-certifi',
  'python3-rfc3986',
  'python3-anyio',
  'python3-websockets',
  'python3-aiohttp',
  'python3-multidict',
  'python3-yarl',
  'python3-frozenlist',
  'python3-aiosignal',
  'python3-async-timeout',
  'python3-charset-normalizer',
  'python3-uvloop',
];

const listHash = createHash('sha256').update(DEBIAN_PYTHON_PACKAGES.join('\n')).digest('hex').slice(0, 10);
const unpackedRoot = join(cacheDir, `debian-python-packages-${listHash}`);

/** The folder to put on an interpreter's path: `<root>/usr/lib/python3/dist-packages`. */
export const debianSitePackages = join(unpackedRoot, 'usr', 'lib', 'python3', 'dist-packages');

function download(into) {
  execFileSync('apt-get', ['download', '-q', ...DEBIAN_PYTHON_PACKAGES], {
    cwd: into,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/**
 * Downloads and unpacks the packages unless an earlier run did; returns the site-packages folder.
 * Built in a temporary folder and renamed into place, so that runs in parallel (or one interrupted)
 * never leave a half-unpacked folder behind.
 */
export function ensureDebianPythonPackages(log = console.error) {
  if (existsSync(debianSitePackages)) return debianSitePackages;
  const building = `${unpackedRoot}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const debs = join(building, 'debs');
  mkdirSync(debs, { recursive: true });
  log(`apt-get download ${DEBIAN_PYTHON_PACKAGES.length} Debian packages into ${debs}`);
  try {
    download(debs);
  } catch (error) {
    // A fresh machine has no package lists yet: only root can fetch them.
    if (process.getuid?.() !== 0) {
      rmSync(building, { recursive: true, force: true });
      throw new Error(
        `apt-get download failed (${String(error.stderr ?? error.message).trim()}); run "apt-get update" as root first`,
      );
    }
    log('apt-get download failed; running apt-get update once and retrying');
    execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'] });
    download(debs);
  }
  const files = readdirSync(debs).filter((name) => name.endsWith('.deb'));
  for (const file of files) execFileSync('dpkg', ['-x', join(debs, file), building]);
  writeFileSync(join(building, 'packages.txt'), `${files.sort().join('\n')}\n`);
  rmSync(debs, { recursive: true, force: true });
  try {
    renameSync(building, unpackedRoot);
  } catch (error) {
    // Another run finished first: keep its folder.
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(debianSitePackages)) throw error;
  }
  return debianSitePackages;
}

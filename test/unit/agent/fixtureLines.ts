// Lines of fixture programs, looked up by the `// marker: <name>` comment at their end rather than by
// number, so that a fixture can be edited (or reformatted) without breaking the tests that name them.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fixturesDir } from './runWithAgent';

/** The 1-based line of `file` (absolute, or relative to test/fixtures) carrying `// marker: name`. */
export function markerLine(file: string, name: string): number {
  const path = isAbsolute(file) ? file : join(fixturesDir, '..', file);
  const lines = readFileSync(path, 'utf8').split('\n');
  const found = lines.filter((line) => new RegExp(`// marker: ${name}(\\s|$)`).test(line));
  if (found.length !== 1) throw new Error(`${found.length} lines carry "// marker: ${name}" in ${path}`);
  return lines.indexOf(found[0]) + 1;
}

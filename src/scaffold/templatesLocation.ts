import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where the project templates are for code running from `start` (a folder inside the extension):
 * `dist/templates` in the packaged extension, `src/scaffold/templates` in a clone. Looks upwards, so
 * it works from `dist/`, from `out/src/scaffold/` and from the extension root alike.
 */
export function findTemplatesRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    for (const candidate of [
      join(dir, 'dist', 'templates'),
      join(dir, 'templates'),
      join(dir, 'src', 'scaffold', 'templates'),
    ]) {
      if (existsSync(join(candidate, 'python-common'))) return candidate;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

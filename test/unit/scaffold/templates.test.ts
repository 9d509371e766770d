// Templates are code: checked here as they are, before any rendering, like the rest of the repository.
// (Biome lints the Node template's TypeScript and JSON with everything else in `npm run lint`.)
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { flavours } from '../../../src/scaffold/flavours';
import { python } from '../../support/pythonInterpreter';
import { repositoryRoot } from '../../support/repositoryRoot';

const templatesRoot = join(repositoryRoot, 'src', 'scaffold', 'templates');

describe('scaffold: templates', () => {
  it('every layer a flavour names exists, and every template folder belongs to a flavour', () => {
    const layers = new Set(flavours.flatMap((flavour) => flavour.templateLayers));
    assert.deepEqual(new Set(readdirSync(templatesRoot)), layers);
  });

  it('Python templates have no pyflakes findings (Debian package python3-pyflakes)', () => {
    const folders = readdirSync(templatesRoot).filter((name) => name.startsWith('python-'));
    const result = spawnSync(
      python,
      ['-m', 'pyflakes', ...folders.map((name) => join(templatesRoot, name))],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(result.stderr.includes('No module named pyflakes'), false, 'install python3-pyflakes');
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  it('the Node template type-checks with its own tsconfig.json', function () {
    this.timeout(60_000);
    const tsc = join(repositoryRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const project = join(templatesRoot, 'node-typescript');
    const result = spawnSync(process.execPath, [tsc, '-p', project, '--noEmit', '--incremental', 'false'], {
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
});

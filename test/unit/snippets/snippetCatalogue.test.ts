import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from '../../support/repositoryRoot';
import { loadSnippets } from '../../support/snippets/loadSnippets';

const script = join(repositoryRoot, 'scripts', 'generate-snippet-catalogue.mjs');

describe('snippet catalogue (docs/snippets.md)', () => {
  it('is up to date with the snippet files', () => {
    const result = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });

  it('lists every prefix with its description', () => {
    const result = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import(${JSON.stringify(script)}).then((m) => process.stdout.write(m.renderCatalogue()))`,
      ],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(result.status, 0, result.stderr);
    for (const snippet of loadSnippets()) {
      assert.ok(result.stdout.includes(`\`${snippet.prefixes[0]}\``), snippet.prefixes[0]);
      assert.ok(result.stdout.includes(snippet.description.replaceAll('|', '\\|')), snippet.description);
    }
  });

  it('reports a stale catalogue', () => {
    const copy = mkdtempSync(join(tmpdir(), 'async-toolkit-catalogue-'));
    try {
      for (const path of [
        'package.json',
        'snippets',
        'docs/snippets.md',
        'scripts/generate-snippet-catalogue.mjs',
        'scripts/lib',
      ]) {
        cpSync(join(repositoryRoot, path), join(copy, path), { recursive: true });
      }
      // The snippet files' reader needs jsonc-parser.
      symlinkSync(join(repositoryRoot, 'node_modules'), join(copy, 'node_modules'));
      writeFileSync(join(copy, 'docs', 'snippets.md'), '# Snippets\n');
      const result = spawnSync(
        process.execPath,
        [join(copy, 'scripts', 'generate-snippet-catalogue.mjs'), '--check'],
        {
          encoding: 'utf8',
        },
      );
      assert.equal(result.status, 1);
      assert.match(result.stderr, /out of date/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

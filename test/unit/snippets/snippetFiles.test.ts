// Snippet files are read as VS Code reads them: comments and trailing commas are fine; any other syntax
// error stops the tests and the catalogue with the file and position, instead of VS Code's silent recovery.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSnippetFile } from '../../support/snippets/loadSnippets';

describe('snippet files as VS Code reads them', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'async-toolkit-snippet-files-'));
    mkdirSync(join(root, 'snippets'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const write = (text: string) => writeFileSync(join(root, 'snippets', 'x.code-snippets'), text);

  it('reads comments and trailing commas', () => {
    write(
      [
        '{',
        '  // A line comment, as users write in their own snippet files.',
        '  "hello": {',
        '    "prefix": "hi", /* a block comment */',
        '    "body": ["print(1)", "$0",],',
        '    "description": "says hello",',
        '  },',
        '}',
      ].join('\n'),
    );
    assert.deepEqual(readSnippetFile('snippets/x.code-snippets', root), {
      hello: { prefix: 'hi', body: ['print(1)', '$0'], description: 'says hello' },
    });
  });

  it('names the file, line and column of a syntax error', () => {
    write('{\n  "hello": {\n    "prefix": "hi"\n    "body": "x"\n  }\n}\n');
    assert.throws(
      () => readSnippetFile('snippets/x.code-snippets', root),
      /^SyntaxError: snippets\/x\.code-snippets:4:5: CommaExpected/,
    );
  });

  it('refuses a file that is not one object of snippets', () => {
    write('["hello"]');
    assert.throws(
      () => readSnippetFile('snippets/x.code-snippets', root),
      /x\.code-snippets: a snippet file holds one object/,
    );
  });
});

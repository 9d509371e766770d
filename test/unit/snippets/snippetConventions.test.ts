// The quality bar every snippet meets: discoverable prefixes, descriptions that say when to use it and
// what it needs, tab stops in order with $0 at the end, indentation that follows the user's settings,
// and a way to prove it works.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { repositoryRoot } from '../../support/repositoryRoot';
import { bodyText, expandSnippet } from '../../support/snippets/expandSnippet';
import {
  isPython,
  loadSnippets,
  readContributions,
  readSnippetFile,
  type Snippet,
} from '../../support/snippets/loadSnippets';
import { checks } from './snippetChecks';

/** The family words a file's prefixes start with, so typing a library's name lists its snippets. */
const familiesByFile: Record<string, string[]> = {
  'python-asyncio.code-snippets': ['aio', 'uvloop'],
  'python-trio.code-snippets': ['trio'],
  'python-threading.code-snippets': ['thread'],
  'python-multiprocessing.code-snippets': ['proc'],
  'python-twisted.code-snippets': ['twisted'],
  'python-tornado.code-snippets': ['tornado'],
  'javascript-typescript-async.code-snippets': [
    'promise',
    'timers',
    'abort',
    'async',
    'events',
    'net',
    'worker',
    'toplevel',
  ],
  'javascript-async.code-snippets': ['promise', 'async'],
  'typescript-async.code-snippets': ['promise', 'async'],
};

const languagesByFile: Record<string, string[]> = {
  'javascript-typescript-async.code-snippets': [
    'javascript',
    'javascriptreact',
    'typescript',
    'typescriptreact',
  ],
  'javascript-async.code-snippets': ['javascript', 'javascriptreact'],
  'typescript-async.code-snippets': ['typescript', 'typescriptreact'],
};

// Completions users rely on: a snippet prefix equal to one of these would push the keyword aside.
const pythonKeywords =
  'False None True and as assert async await break case class continue def del elif else except finally for from global if import in is lambda match nonlocal not or pass raise return try type while with yield print self'.split(
    ' ',
  );
const javaScriptKeywords =
  'async await break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof interface let new null of package private protected public return static super switch this throw true try typeof var void while with yield console promise'.split(
    ' ',
  );

const snippets = loadSnippets();
const title = (snippet: Snippet) => `${snippet.prefixes[0]} (${snippet.file})`;

describe('snippet files', () => {
  it('contributes every snippet file, each for the languages of its family, and nothing missing', () => {
    const onDisk = readdirSync(join(repositoryRoot, 'snippets')).filter((name) =>
      name.endsWith('.code-snippets'),
    );
    const contributed = readContributions();
    for (const { path } of contributed)
      assert.ok(existsSync(join(repositoryRoot, path)), `${path} does not exist`);
    assert.deepEqual([...new Set(contributed.map(({ path }) => basename(path)))].sort(), onDisk.sort());
    for (const file of onDisk) {
      const languages = contributed
        .filter(({ path }) => basename(path) === file)
        .map(({ language }) => language);
      const expected = file.startsWith('python-') ? ['python'] : languagesByFile[file];
      assert.deepEqual(
        languages.sort(),
        [...(expected ?? ['(a family not listed in this test)'])].sort(),
        file,
      );
    }
  });

  it('read as VS Code reads them, have a prefix, a description and a body in every entry', () => {
    for (const { path } of readContributions()) {
      const entries = readSnippetFile(path);
      for (const [name, entry] of Object.entries(entries)) {
        assert.deepEqual(Object.keys(entry).sort(), ['body', 'description', 'prefix'], `${path}: ${name}`);
      }
    }
    assert.ok(snippets.length > 0);
  });
});

describe('snippet conventions', () => {
  for (const snippet of snippets) {
    describe(title(snippet), () => {
      const expansion = expandSnippet(snippet.body);
      const text = bodyText(snippet.body);

      it('has word-character prefixes that start with its family word and are no keyword', () => {
        const families = familiesByFile[basename(snippet.file)] ?? [];
        const keywords = isPython(snippet) ? pythonKeywords : javaScriptKeywords;
        assert.ok(snippet.prefixes.length > 0);
        for (const prefix of snippet.prefixes) {
          assert.match(prefix, /^[a-z][a-z0-9_]*$/, `prefix "${prefix}"`);
          assert.ok(
            families.some((family) => prefix.startsWith(family)),
            `"${prefix}" starts with none of ${families}`,
          );
          assert.ok(!keywords.includes(prefix), `"${prefix}" is a keyword`);
        }
      });

      it('says when to use it and which runtime it needs', () => {
        assert.ok(snippet.description.length >= 40, 'description too short');
        assert.match(snippet.description, /\.$/);
        const runtime = isPython(snippet) ? /Python 3\.\d+\+/ : /Node \d+(\.\d+)*\+|any Node/;
        assert.match(snippet.description, runtime);
      });

      it('has tab stops numbered 1..n without gaps and an explicit $0', () => {
        assert.match(text, /\$0|\$\{0[:}]/, 'no explicit $0');
        const indexes = expansion.tabStops.map((stop) => stop.index).filter((index) => index > 0);
        assert.deepEqual(
          indexes,
          indexes.map((_, position) => position + 1),
        );
      });

      it('uses no variable by accident (a `$name` in code would become a placeholder)', () => {
        assert.deepEqual(expansion.unknownVariables, []);
      });

      it('indents with tabs (VS Code turns them into the user’s indentation) and has no trailing spaces', () => {
        for (const line of text.split('\n')) {
          assert.doesNotMatch(line, /^\t* /, `indented with spaces: ${JSON.stringify(line)}`);
          assert.doesNotMatch(line, /[ \t]$/, `trailing whitespace: ${JSON.stringify(line)}`);
        }
      });

      it('has a check that runs it', () => {
        assert.ok(
          checks[snippet.prefixes[0]],
          `add "${snippet.prefixes[0]}" to test/unit/snippets/snippetChecks.ts`,
        );
      });
    });
  }

  it('gives every prefix one snippet per language', () => {
    const languages = new Set(snippets.flatMap((snippet) => snippet.languages));
    for (const language of languages) {
      const prefixes = snippets
        .filter((snippet) => snippet.languages.includes(language))
        .flatMap((s) => s.prefixes);
      const duplicates = prefixes.filter((prefix, index) => prefixes.indexOf(prefix) !== index);
      assert.deepEqual(duplicates, [], language);
    }
  });

  it('has no check left over from a removed snippet', () => {
    const prefixes = new Set(snippets.map((snippet) => snippet.prefixes[0]));
    assert.deepEqual(
      Object.keys(checks).filter((prefix) => !prefixes.has(prefix)),
      [],
    );
  });
});

// The snippet files the extension contributes, read the way VS Code reads them: package.json's
// `contributes.snippets` entries (one per language and file) point at `.code-snippets` files, which are
// JSON with comments and trailing commas allowed (VS Code parses them with the parser published as
// `jsonc-parser`). The one reader for the tests (test/support/snippets/loadSnippets.ts) and for
// scripts/generate-snippet-catalogue.mjs.
//
// CommonJS on purpose: the catalogue script runs without a build (`npm run snippets:catalogue`), and the
// tests are compiled to CommonJS, which on Node 20 cannot load an ES module synchronously; both can load
// this file as it is.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { parse, printParseErrorCode } = require('jsonc-parser');

/** VS Code tolerates comments and trailing commas in snippet files; anything else is an error here. */
const parseOptions = { disallowComments: false, allowTrailingComma: true, allowEmptyContent: false };

/** 1-based line and column of a character offset, as editors show positions. */
function positionOf(text, offset) {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/**
 * The entries of one snippet file (`file` relative to `root`), keyed by snippet name. Throws an error
 * naming the file, line and column of the first syntax error, or saying that the file is not an object.
 */
function readSnippetFile(root, file) {
  const text = readFileSync(join(root, file), 'utf8');
  const errors = [];
  const entries = parse(text, errors, parseOptions);
  if (errors.length) {
    const [first] = errors;
    throw new SyntaxError(
      `${file}:${positionOf(text, first.offset)}: ${printParseErrorCode(first.error)}` +
        (errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''),
    );
  }
  if (!entries || typeof entries !== 'object' || Array.isArray(entries)) {
    throw new SyntaxError(`${file}: a snippet file holds one object, of snippets keyed by name`);
  }
  return entries;
}

/** package.json's `contributes.snippets`: `{ language, path }` per language and file. */
function readContributions(root) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return manifest.contributes?.snippets ?? [];
}

/**
 * Every contributed snippet file once, in the order package.json first names it: its path relative to
 * `root` (no leading "./"), the languages it is contributed for, and its entries.
 */
function loadSnippetFiles(root) {
  const languagesByFile = new Map();
  for (const { language, path } of readContributions(root)) {
    const file = path.replace(/^\.\//, '');
    languagesByFile.set(file, [...(languagesByFile.get(file) ?? []), language]);
  }
  return [...languagesByFile].map(([file, languages]) => ({
    file,
    languages,
    entries: readSnippetFile(root, file),
  }));
}

module.exports = { readSnippetFile, readContributions, loadSnippetFiles };

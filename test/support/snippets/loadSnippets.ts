// The snippets the extension contributes, as the tests use them: one `Snippet` per entry of each
// contributed file, with the languages its file is contributed for. Reading the files (JSON with comments
// and trailing commas, as VS Code reads them) is scripts/lib/snippetFiles.cjs, shared with the catalogue.
import { join } from 'node:path';
import { repositoryRoot } from '../repositoryRoot';
import type { SnippetBody } from './expandSnippet';

export interface Snippet {
  /** The snippet's key in its file, shown next to the prefix in the completion list. */
  name: string;
  /** Path of its file relative to the repository root, e.g. `snippets/python-asyncio.code-snippets`. */
  file: string;
  prefixes: string[];
  description: string;
  body: SnippetBody;
  /** Language ids the file is contributed for. */
  languages: string[];
}

export interface SnippetContribution {
  language: string;
  path: string;
}

/** An entry as written in a snippet file. */
export interface SnippetEntry {
  prefix?: string | string[];
  description?: string;
  body?: SnippetBody;
}

interface SnippetFiles {
  readSnippetFile(root: string, file: string): Record<string, SnippetEntry>;
  readContributions(root: string): SnippetContribution[];
  loadSnippetFiles(
    root: string,
  ): { file: string; languages: string[]; entries: Record<string, SnippetEntry> }[];
}

// Loaded from the repository, not compiled: the catalogue script uses the same file without a build.
const snippetFiles: SnippetFiles = require(join(repositoryRoot, 'scripts', 'lib', 'snippetFiles.cjs'));

/** package.json's `contributes.snippets` entries. */
export function readContributions(root = repositoryRoot): SnippetContribution[] {
  return snippetFiles.readContributions(root);
}

/** One snippet file's entries by name; a syntax error names the file, line and column. */
export function readSnippetFile(file: string, root = repositoryRoot): Record<string, SnippetEntry> {
  return snippetFiles.readSnippetFile(root, file);
}

/** Every contributed snippet, once per file, with the languages its file is contributed for. */
export function loadSnippets(root = repositoryRoot): Snippet[] {
  return snippetFiles.loadSnippetFiles(root).flatMap(({ file, languages, entries }) =>
    Object.entries(entries).map(([name, entry]) => ({
      name,
      file,
      prefixes: typeof entry.prefix === 'string' ? [entry.prefix] : [...(entry.prefix ?? [])],
      description: entry.description ?? '',
      body: entry.body ?? '',
      languages,
    })),
  );
}

export const isPython = (snippet: Snippet) => snippet.languages.includes('python');
export const isJavaScript = (snippet: Snippet) => snippet.languages.includes('javascript');
export const isTypeScript = (snippet: Snippet) => snippet.languages.includes('typescript');

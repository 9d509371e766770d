// Reads the snippets the extension contributes, the way VS Code finds them: package.json's
// `contributes.snippets` entries (one per language and file) point at `.code-snippets` files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SnippetBody } from './expandSnippet';

export const repositoryRoot = join(__dirname, '..', '..', '..', '..');

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

interface SnippetContribution {
  language: string;
  path: string;
}

interface SnippetEntry {
  prefix?: string | string[];
  description?: string;
  body?: SnippetBody;
}

export function readContributions(root = repositoryRoot): SnippetContribution[] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return manifest.contributes?.snippets ?? [];
}

/** Every contributed snippet, once per file, with the languages its file is contributed for. */
export function loadSnippets(root = repositoryRoot): Snippet[] {
  const languagesByFile = new Map<string, string[]>();
  for (const { language, path } of readContributions(root)) {
    const file = path.replace(/^\.\//, '');
    languagesByFile.set(file, [...(languagesByFile.get(file) ?? []), language]);
  }
  const snippets: Snippet[] = [];
  for (const [file, languages] of languagesByFile) {
    const entries: Record<string, SnippetEntry> = JSON.parse(readFileSync(join(root, file), 'utf8'));
    for (const [name, entry] of Object.entries(entries)) {
      snippets.push({
        name,
        file,
        prefixes: typeof entry.prefix === 'string' ? [entry.prefix] : [...(entry.prefix ?? [])],
        description: entry.description ?? '',
        body: entry.body ?? '',
        languages,
      });
    }
  }
  return snippets;
}

export const isPython = (snippet: Snippet) => snippet.languages.includes('python');
export const isJavaScript = (snippet: Snippet) => snippet.languages.includes('javascript');
export const isTypeScript = (snippet: Snippet) => snippet.languages.includes('typescript');

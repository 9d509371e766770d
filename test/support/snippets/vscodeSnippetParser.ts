// VS Code's own snippet parser (the file the editor uses), loaded from the monaco-editor-core package that
// Microsoft publishes from the vscode repository. Using the editor's parser rather than our own keeps the
// tests faithful to what users get: the same grammar, the same fallbacks for malformed input.
//
// The package ships that file as an ES module in a package without "type": "module"; rather than rely on
// Node's module-syntax detection (a warning, and only on recent Node versions), esbuild turns it into a
// CommonJS module once. The file imports nothing, so it needs no module resolution.
import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';

/** A node of a parsed snippet; the subset of VS Code's `Marker` class this project relies on. */
export interface Marker {
  readonly children: Marker[];
  parent?: Marker;
  toString(): string;
  len(): number;
}
export interface Text extends Marker {
  value: string;
}
export interface Transform extends Marker {
  regexp: RegExp;
  resolve(value: string): string;
}
export interface Placeholder extends Marker {
  readonly index: number;
  readonly isFinalTabstop: boolean;
  readonly choice: Choice | undefined;
  transform?: Transform;
  appendChild(child: Marker): Placeholder;
}
export interface Choice extends Marker {
  readonly options: Text[];
}
export interface Variable extends Marker {
  readonly name: string;
  transform?: Transform;
  resolve(resolver: { resolve(variable: Variable): string | undefined }): boolean;
}
export interface TextmateSnippet extends Marker {
  readonly placeholders: Placeholder[];
  walk(visitor: (marker: Marker) => boolean): void;
  offset(marker: Marker): number;
  replace(child: Marker, others: Marker[]): void;
  resolveVariables(resolver: { resolve(variable: Variable): string | undefined }): TextmateSnippet;
}

interface SnippetParserModule {
  SnippetParser: new () => {
    parse(value: string, insertFinalTabstop?: boolean, enforceFinalTabstop?: boolean): TextmateSnippet;
  };
  Text: new (value: string) => Text;
  Placeholder: new (index: number) => Placeholder;
  Choice: abstract new () => Choice;
  Variable: abstract new (name: string) => Variable;
}

function loadParser(): SnippetParserModule {
  const file = require.resolve('monaco-editor-core/esm/vs/editor/contrib/snippet/browser/snippetParser.js');
  const { code } = transformSync(readFileSync(file, 'utf8'), {
    format: 'cjs',
    sourcefile: file,
    target: 'node18',
  });
  const module = { exports: {} as SnippetParserModule };
  new Function('module', 'exports', code)(module, module.exports);
  return module.exports;
}

export const vscodeSnippetParser: SnippetParserModule = loadParser();

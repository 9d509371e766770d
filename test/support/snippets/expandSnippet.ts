// Expands a snippet body the way VS Code does when a user picks it from the completion list and then
// presses Tab through every tab stop, accepting each default (or typing the values given in `typed`).
// Parsing is VS Code's own parser; this module adds what the editor does around it:
//   1. unknown variables without a default become placeholders named after the variable (what VS Code
//      does to snippets read from snippet files, `SnippetFile._rewriteBogousVariables`);
//   2. leading whitespace is normalised to the editor's indentation and every line after the first is
//      indented like the line the snippet is inserted on (`SnippetSession.adjustWhitespace`);
//   3. known variables are resolved from `variables`; a known variable without a value falls back to its
//      default, as `${TM_SELECTED_TEXT:pass}` does when nothing is selected;
//   4. text typed over a placeholder replaces it and its mirrors; leaving a placeholder applies the
//      transforms of that tab stop (`${1/(.*)/${1:/upcase}/}`), as moving past it in the editor does.
import { type Marker, type TextmateSnippet, type Variable, vscodeSnippetParser } from './vscodeSnippetParser';

const {
  SnippetParser,
  Text,
  Placeholder: PlaceholderClass,
  Variable: VariableClass,
  Choice,
} = vscodeSnippetParser;

/** The variables VS Code resolves itself (`KnownSnippetVariableNames` in the editor's snippetVariables.ts). */
export const knownVariableNames: ReadonlySet<string> = new Set([
  'CURRENT_YEAR',
  'CURRENT_YEAR_SHORT',
  'CURRENT_MONTH',
  'CURRENT_DATE',
  'CURRENT_HOUR',
  'CURRENT_MINUTE',
  'CURRENT_SECOND',
  'CURRENT_MILLISECOND',
  'CURRENT_DAY_NAME',
  'CURRENT_DAY_NAME_SHORT',
  'CURRENT_MONTH_NAME',
  'CURRENT_MONTH_NAME_SHORT',
  'CURRENT_SECONDS_UNIX',
  'CURRENT_MILLISECONDS_UNIX',
  'CURRENT_TIMEZONE_OFFSET',
  'CURRENT_TIMEZONE_NAME',
  'SELECTION',
  'CLIPBOARD',
  'TM_SELECTED_TEXT',
  'TM_CURRENT_LINE',
  'TM_CURRENT_WORD',
  'TM_LINE_INDEX',
  'TM_LINE_NUMBER',
  'TM_FILENAME',
  'TM_FILENAME_BASE',
  'TM_DIRECTORY',
  'TM_DIRECTORY_BASE',
  'TM_FILEPATH',
  'CURSOR_INDEX',
  'CURSOR_NUMBER',
  'RELATIVE_FILEPATH',
  'BLOCK_COMMENT_START',
  'BLOCK_COMMENT_END',
  'LINE_COMMENT',
  'WORKSPACE_NAME',
  'WORKSPACE_FOLDER',
  'RANDOM',
  'RANDOM_HEX',
  'UUID',
]);

export interface ExpansionOptions {
  /** Values of known variables; a known variable missing here shows its default (or nothing). */
  variables?: Readonly<Record<string, string>>;
  /** Text the user types over tab stop N (for a choice: the option picked); mirrors follow. */
  typed?: Readonly<Record<number, string>>;
  /** The editor's indentation: VS Code turns the body's leading tabs into this. Default: 4 spaces. */
  indentation?: { insertSpaces: boolean; tabSize: number };
  /** Leading whitespace of the line the snippet is inserted on (lines after the first get it too). */
  lineIndentation?: string;
}

export interface TabStop {
  index: number;
  /** Offsets in `text` of every occurrence (the first is where the cursor lands, the rest are mirrors). */
  offsets: number[];
  /** The text at the first occurrence after expansion. */
  text: string;
  /** The options of a choice (`${1|a,b|}`), first option first. */
  choices?: string[];
}

export interface Expansion {
  text: string;
  /** Tab stops in the order Tab visits them; the final tab stop ($0, explicit or implicit) is last. */
  tabStops: TabStop[];
  /** Unknown variables that were turned into placeholders. */
  unknownVariables: string[];
}

/** A snippet body as written in a `.code-snippets` file: one string or an array of lines. */
export type SnippetBody = string | readonly string[];

export function bodyText(body: SnippetBody): string {
  return typeof body === 'string' ? body : body.join('\n');
}

function isVariable(marker: Marker): marker is Variable {
  return marker instanceof VariableClass;
}

function allMarkers(snippet: TextmateSnippet): Marker[] {
  const found: Marker[] = [];
  snippet.walk((marker) => {
    found.push(marker);
    return true;
  });
  return found;
}

function rewriteUnknownVariables(snippet: TextmateSnippet): string[] {
  let highest = Math.max(0, ...snippet.placeholders.map((placeholder) => placeholder.index));
  const indexByName = new Map<string, number>();
  for (const marker of allMarkers(snippet)) {
    if (!isVariable(marker) || marker.children.length > 0 || knownVariableNames.has(marker.name)) continue;
    let index = indexByName.get(marker.name);
    if (index === undefined) {
      highest += 1;
      index = highest;
      indexByName.set(marker.name, index);
    }
    snippet.replace(marker, [new PlaceholderClass(index).appendChild(new Text(marker.name))]);
  }
  return [...indexByName.keys()];
}

/** Column width of leading whitespace, tabs advancing to the next multiple of tabSize. */
function visibleWidth(whitespace: string, tabSize: number): number {
  let width = 0;
  for (const char of whitespace) width = char === '\t' ? width + tabSize - (width % tabSize) : width + 1;
  return width;
}

function normalizeIndentation(line: string, indentation: { insertSpaces: boolean; tabSize: number }): string {
  const leading = /^[ \t]*/.exec(line)?.[0] ?? '';
  const width = visibleWidth(leading, indentation.tabSize);
  const indent = indentation.insertSpaces
    ? ' '.repeat(width)
    : '\t'.repeat(Math.floor(width / indentation.tabSize)) + ' '.repeat(width % indentation.tabSize);
  return indent + line.slice(leading.length);
}

function adjustWhitespace(snippet: TextmateSnippet, options: ExpansionOptions): void {
  const indentation = options.indentation ?? { insertSpaces: true, tabSize: 4 };
  const lineIndentation = options.lineIndentation ?? '';
  for (const marker of allMarkers(snippet)) {
    if (!(marker instanceof Text) || marker.parent instanceof Choice) continue;
    const lines = marker.value.split(/\r\n|\r|\n/);
    if (snippet.offset(marker) === 0) lines[0] = normalizeIndentation(lines[0], indentation);
    for (let i = 1; i < lines.length; i++)
      lines[i] = normalizeIndentation(lineIndentation + lines[i], indentation);
    marker.value = lines.join('\n');
  }
}

function applyTyping(snippet: TextmateSnippet, typed: Readonly<Record<number, string>>): void {
  for (const placeholder of snippet.placeholders) {
    const value = typed[placeholder.index];
    if (value === undefined) continue;
    const replacement = new PlaceholderClass(placeholder.index).appendChild(new Text(value));
    replacement.transform = placeholder.transform;
    snippet.replace(placeholder, [replacement]);
  }
}

function applyTransforms(snippet: TextmateSnippet): void {
  for (const placeholder of snippet.placeholders) {
    if (!placeholder.transform) continue;
    const replacement = new PlaceholderClass(placeholder.index).appendChild(
      new Text(placeholder.transform.resolve(placeholder.toString())),
    );
    snippet.replace(placeholder, [replacement]);
  }
}

function collectTabStops(snippet: TextmateSnippet): TabStop[] {
  const byIndex = new Map<number, TabStop>();
  for (const placeholder of snippet.placeholders) {
    let stop = byIndex.get(placeholder.index);
    if (!stop) {
      const choices = placeholder.choice?.options.map((option) => option.value);
      stop = {
        index: placeholder.index,
        offsets: [],
        text: placeholder.toString(),
        ...(choices && { choices }),
      };
      byIndex.set(placeholder.index, stop);
    }
    stop.offsets.push(snippet.offset(placeholder));
  }
  return [...byIndex.values()].sort((a, b) => (a.index === 0 ? 1 : b.index === 0 ? -1 : a.index - b.index));
}

export function expandSnippet(body: SnippetBody, options: ExpansionOptions = {}): Expansion {
  const snippet = new SnippetParser().parse(bodyText(body), true, false);
  const unknownVariables = rewriteUnknownVariables(snippet);
  adjustWhitespace(snippet, options);
  const variables = options.variables ?? {};
  snippet.resolveVariables({
    resolve: (variable) => (Object.hasOwn(variables, variable.name) ? variables[variable.name] : undefined),
  });
  applyTyping(snippet, options.typed ?? {});
  applyTransforms(snippet);
  return { text: snippet.toString(), tabStops: collectTabStops(snippet), unknownVariables };
}

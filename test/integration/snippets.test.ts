// The contributed snippets in the real editor: offered in completion for each language, inserted by name and
// through the suggest widget, and the inserted text is what the snippet tests expanded and ran.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { bodyText, expandSnippet } from '../support/snippets/expandSnippet';
import { loadSnippets, type Snippet } from '../support/snippets/loadSnippets';
import { waitUntil } from '../support/waitUntil';

const extensionId = 'async-toolkit.async-toolkit';
const indentation = { insertSpaces: true, tabSize: 4 };

// Completion waits for every provider: the first request in a TypeScript/TSX file waits for tsserver to
// start, which took over 15 s once on a loaded CI machine.
const completionPatience = { timeoutMs: 45_000 };

async function openEditor(language: string, content = ''): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language, content });
  const editor = await vscode.window.showTextDocument(document);
  editor.options = indentation;
  editor.selection = new vscode.Selection(
    document.positionAt(content.length),
    document.positionAt(content.length),
  );
  return editor;
}

async function closeEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

async function snippetCompletions(language: string, typed: string): Promise<vscode.CompletionItem[]> {
  // Each attempt asks in a fresh editor: an untitled document whose language service was still
  // starting has been seen (on a loaded CI machine) to keep answering without the snippets.
  return waitUntil(
    `snippet completions for "${typed}" in ${language}`,
    async () => {
      const editor = await openEditor(language, typed);
      try {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          editor.document.uri,
          editor.document.positionAt(typed.length),
        );
        const snippets = list.items.filter((item) => item.kind === vscode.CompletionItemKind.Snippet);
        return snippets.some((item) => labelOf(item).startsWith(typed)) ? snippets : undefined;
      } finally {
        await closeEditors();
      }
    },
    completionPatience,
  );
}

describe('Snippets', () => {
  const snippets = loadSnippets();
  const find = (prefix: string, language: string): Snippet => {
    const found = snippets.find(
      (snippet) => snippet.prefixes[0] === prefix && snippet.languages.includes(language),
    );
    assert.ok(found, `${prefix} for ${language}`);
    return found;
  };

  before(async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    await extension.activate();
  });

  afterEach(closeEditors);

  const offered: [string, string, string[]][] = [
    ['python', 'aio', ['aiomain', 'aiotaskgroup', 'aiotimeout', 'aiouvloop']],
    ['python', 'trio', ['trionursery', 'trioechoserver']],
    ['python', 'uvloop', ['uvloop']],
    ['javascript', 'promise', ['promiseall', 'promiseretry', 'promisewithresolvers']],
    ['javascriptreact', 'abort', ['abortcontroller', 'aborttimeout', 'abortany']],
    ['typescript', 'promise', ['promiseall', 'promiseretry', 'promisepool']],
    ['typescriptreact', 'async', ['asyncfor', 'asyncgenerator']],
  ];
  for (const [language, typed, expected] of offered) {
    it(`offers ${expected.join(', ')} when "${typed}" is typed in ${language}`, async () => {
      const labels = (await snippetCompletions(language, typed)).map(labelOf);
      for (const prefix of expected) {
        assert.equal(
          labels.filter((label) => label === prefix).length,
          1,
          `${prefix} once in ${labels.join(' ')}`,
        );
      }
    });
  }

  for (const language of ['javascript', 'typescript']) {
    it(`offers no Python snippet in ${language}`, async () => {
      // Once the language's own snippets are offered, every snippet file for it has been read.
      await snippetCompletions(language, 'promise');
      const editor = await openEditor(language, 'aio');
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        editor.document.uri,
        editor.document.positionAt(3),
      );
      const snippetLabels = list.items
        .filter((item) => item.kind === vscode.CompletionItemKind.Snippet)
        .map(labelOf)
        .filter((label) => /^(aio|trio|thread|proc|twisted|tornado|uvloop)/.test(label));
      assert.deepEqual(snippetLabels, []);
    });
  }

  const insertedByName: [string, string, string][] = [
    ['python', 'aiotaskgroup', 'async def main() -> None:\n    '],
    ['python', 'trioechoserver', ''],
    ['javascript', 'abortany', ''],
    ['typescript', 'promiseretry', ''],
    ['typescriptreact', 'promiseallsettled', 'async function main() {\n    '],
  ];
  for (const [language, prefix, before] of insertedByName) {
    it(`inserts ${prefix} in ${language} as the snippet tests expanded it`, async () => {
      const snippet = find(prefix, language);
      const editor = await openEditor(language, before);
      await vscode.commands.executeCommand('editor.action.insertSnippet', {
        langId: language,
        name: snippet.name,
      });
      const lineIndentation = /[ \t]*$/.exec(before)?.[0] ?? '';
      const expected = before + expandSnippet(snippet.body, { indentation, lineIndentation }).text;
      await waitUntil('the snippet text', () => editor.document.getText() === expected, {
        timeoutMs: 5_000,
      }).catch(() => assert.equal(editor.document.getText(), expected));
    });
  }

  it('inserts the same text through the API (SnippetString) as through the snippet file', async () => {
    const snippet = find('aioqueue', 'python');
    const editor = await openEditor('python');
    assert.ok(await editor.insertSnippet(new vscode.SnippetString(bodyText(snippet.body))));
    assert.equal(editor.document.getText(), expandSnippet(snippet.body, { indentation }).text);
  });

  it('inserts a snippet picked from the suggest widget, with the cursor on the first tab stop', async () => {
    const snippet = find('aiohello', 'python');
    const editor = await openEditor('python');
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'aiohello'));
    const expected = expandSnippet(snippet.body, { indentation });
    await waitUntil(
      'the snippet accepted from the suggest widget',
      async () => {
        await vscode.commands.executeCommand('editor.action.triggerSuggest');
        await new Promise((resolve) => setTimeout(resolve, 500));
        await vscode.commands.executeCommand('acceptSelectedSuggestion');
        return editor.document.getText() === expected.text;
      },
      completionPatience,
    );
    const first = expected.tabStops[0];
    const selected = editor.document.getText(editor.selection);
    assert.equal(selected, first.text);
    assert.equal(editor.document.offsetAt(editor.selection.start), first.offsets[0]);
  });
});

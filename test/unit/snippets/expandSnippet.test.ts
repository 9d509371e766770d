// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are snippet bodies, not templates.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { expandSnippet, knownVariableNames } from '../../support/snippets/expandSnippet';

describe('snippet expansion (VS Code snippet grammar)', () => {
  it('inserts placeholder defaults and visits tab stops in order, $0 last', () => {
    const expansion = expandSnippet('for ${2:item} in ${1:items}:\n\t${3:pass}$0');
    assert.equal(expansion.text, 'for item in items:\n    pass');
    assert.deepEqual(
      expansion.tabStops.map((stop) => [stop.index, stop.offsets, stop.text]),
      [
        [1, [12], 'items'],
        [2, [4], 'item'],
        [3, [23], 'pass'],
        [0, [27], ''],
      ],
    );
  });

  it('adds an implicit final tab stop at the end when the body has placeholders but no $0', () => {
    const expansion = expandSnippet('await ${1:coro}()');
    assert.equal(expansion.text, 'await coro()');
    assert.deepEqual(expansion.tabStops.at(-1), { index: 0, offsets: [12], text: '' });
  });

  it('repeats the first default of a tab stop in its mirrors', () => {
    const expansion = expandSnippet('${1:task} = create($1)\nawait $1');
    assert.equal(expansion.text, 'task = create(task)\nawait task');
    assert.deepEqual(expansion.tabStops[0].offsets, [0, 14, 26]);
  });

  it('lets a later occurrence define the default when the first has none', () => {
    assert.equal(expandSnippet('$1 and ${1:value}').text, 'value and value');
  });

  it('typed text replaces a placeholder and all its mirrors', () => {
    const expansion = expandSnippet('${1:task} = create($1)', { typed: { 1: 'job' } });
    assert.equal(expansion.text, 'job = create(job)');
  });

  it('expands nested placeholders, and typing over the outer one removes the inner one', () => {
    const body = 'connect(${1:host${2:, port=${3:8080}}})';
    assert.equal(expandSnippet(body).text, 'connect(host, port=8080)');
    assert.equal(expandSnippet(body, { typed: { 3: '1234' } }).text, 'connect(host, port=1234)');
    assert.equal(expandSnippet(body, { typed: { 1: 'addr' } }).text, 'connect(addr)');
    assert.deepEqual(
      expandSnippet(body).tabStops.map((stop) => stop.index),
      [1, 2, 3, 0],
    );
  });

  it('shows the first option of a choice, with \\, \\| and \\\\ escapes inside options', () => {
    const expansion = expandSnippet('x = ${1|a\\,b,c\\|d,e\\\\f|}');
    assert.equal(expansion.text, 'x = a,b');
    assert.deepEqual(expansion.tabStops[0].choices, ['a,b', 'c|d', 'e\\f']);
    assert.equal(expandSnippet('${1|one,two|}', { typed: { 1: 'two' } }).text, 'two');
  });

  it('keeps escaped $, } and \\ as text', () => {
    assert.equal(expandSnippet('cost: \\$5 \\} \\\\ ${1:a\\}b}').text, 'cost: $5 } \\ a}b');
  });

  it('treats malformed placeholders as text, as the editor does', () => {
    assert.equal(expandSnippet('${1:unclosed').text, '${1:unclosed');
    assert.equal(expandSnippet('$ {1} ${x').text, '$ {1} ${x');
  });

  it('resolves known variables and falls back to their default when they have no value', () => {
    const expansion = expandSnippet('# ${TM_FILENAME}\n${TM_SELECTED_TEXT:pass}\n$LINE_COMMENT', {
      variables: { TM_FILENAME: 'echo.py', LINE_COMMENT: '#' },
    });
    assert.equal(expansion.text, '# echo.py\npass\n#');
    assert.deepEqual(expansion.unknownVariables, []);
  });

  it('turns an unknown variable without a default into a placeholder named after it', () => {
    const expansion = expandSnippet('${1:a} $HANDLER ${HANDLER} ${OTHER:kept}');
    assert.equal(expansion.text, 'a HANDLER HANDLER kept');
    assert.deepEqual(expansion.unknownVariables, ['HANDLER']);
    assert.deepEqual(
      expansion.tabStops.map((stop) => [stop.index, stop.offsets]),
      [
        [1, [0]],
        [2, [2, 10]],
        [0, [22]],
      ],
    );
  });

  it('applies variable transforms with format strings, case shorthands and conditionals', () => {
    const variables = { TM_FILENAME: 'echo_server.py' };
    assert.equal(expandSnippet('${TM_FILENAME/(.*)\\.py$/$1/}', { variables }).text, 'echo_server');
    assert.equal(
      expandSnippet('${TM_FILENAME/(.*)\\.py$/${1:/pascalcase}/}', { variables }).text,
      'EchoServer',
    );
    assert.equal(expandSnippet('${TM_FILENAME/(test_)?.*/${1:?test:module}/}', { variables }).text, 'module');
    assert.equal(expandSnippet('${TM_FILENAME/[_.]/-/g}', { variables }).text, 'echo-server-py');
  });

  it('applies placeholder transforms when the user moves past the tab stop', () => {
    const body = '${1:worker_count} = 4\n${1/(.*)/${1:/upcase}/} = $1';
    assert.equal(expandSnippet(body).text, 'worker_count = 4\nWORKER_COUNT = worker_count');
    assert.equal(expandSnippet(body, { typed: { 1: 'limit' } }).text, 'limit = 4\nLIMIT = limit');
  });

  it('normalises leading tabs to the editor indentation and indents later lines like the current line', () => {
    const body = ['async def main():', '\tawait ${1:work}()', '\t\treturn'];
    assert.equal(expandSnippet(body).text, 'async def main():\n    await work()\n        return');
    assert.equal(
      expandSnippet(body, { indentation: { insertSpaces: false, tabSize: 4 }, lineIndentation: '\t' }).text,
      'async def main():\n\t\tawait work()\n\t\t\treturn',
    );
    assert.equal(
      expandSnippet(body, { indentation: { insertSpaces: true, tabSize: 2 }, lineIndentation: '  ' }).text,
      'async def main():\n    await work()\n      return',
    );
  });

  it('knows the same variables as the editor build it parses with', () => {
    const source = readFileSync(
      require.resolve('monaco-editor-core/esm/vs/editor/contrib/snippet/browser/snippetVariables.js'),
      'utf8',
    );
    const block = /KnownSnippetVariableNames = Object\.freeze\(\{([\s\S]*?)\}\)/.exec(source)?.[1] ?? '';
    const editorNames = [...block.matchAll(/'([A-Z_]+)'\s*:/g)].map((match) => match[1]);
    assert.ok(editorNames.length > 30, 'found the editor list');
    assert.deepEqual([...knownVariableNames].sort(), editorNames.sort());
  });
});

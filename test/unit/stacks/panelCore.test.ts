import * as assert from 'node:assert/strict';
import type { Snapshot } from '../../../src/snapshot/format';
import { chooseSession, type SessionEntry } from '../../../src/stacks/chooseSession';
import { isFromWebview } from '../../../src/stacks/messages';
import { boxLines, MAX_FRAMES_SHOWN } from '../../../src/stacks/picture/boxLines';
import { resolveVariables } from '../../../src/stacks/picture/resolveVariables';
import { PictureBuilder } from '../../../src/stacks/pictureState';
import type { StackNode } from '../../../src/stacks/stackGraph';
import { contentSecurityPolicy, stacksHtml } from '../../../src/stacks/stacksHtml';

const snapshot = (tasks: Snapshot['tasks'] = []): Snapshot => ({
  version: 1,
  runtime: 'asyncio',
  pid: 1,
  takenAt: 0,
  tasks,
});

describe('Async Stacks: which session the picture shows', () => {
  const launcher: SessionEntry = { id: 'parent', name: 'app.js', stale: false };
  const child: SessionEntry = {
    id: 'child',
    name: 'app.js [42]',
    parentId: 'parent',
    stale: false,
    snapshot: snapshot(),
  };
  const python: SessionEntry = { id: 'py', name: 'pipeline', stale: true, snapshot: snapshot() };

  it('takes the selected session, or the child of a selected launcher that has the snapshot', () => {
    assert.equal(chooseSession([launcher, child, python], 'py').kind, 'session');
    const choice = chooseSession([launcher, child, python], 'parent');
    assert.equal(choice.kind === 'session' && choice.session.id, 'child');
  });

  it('falls back to the only session with a snapshot, and asks when there are several', () => {
    const only = chooseSession([launcher, child], undefined);
    assert.equal(only.kind === 'session' && only.session.id, 'child');
    assert.equal(chooseSession([launcher, child, python], undefined).kind, 'ambiguous');
  });

  it('says no session, or no snapshot yet', () => {
    assert.equal(chooseSession([], undefined).kind, 'noSession');
    assert.equal(chooseSession([launcher], 'parent').kind, 'noSnapshot');
  });

  it('builds a message for a snapshot whose tasks have no stacks', () => {
    const { state } = new PictureBuilder().build(
      [
        {
          id: 's',
          name: 'app',
          stale: false,
          snapshot: snapshot([{ id: 't', parentId: null, type: 'Task', state: 'pending' }]),
        },
      ],
      's',
      {},
    );
    assert.equal(state.kind, 'message');
    assert.match(state.kind === 'message' ? state.title : '', /has no stacks/);
  });
});

describe('Async Stacks: the webview page and its messages', () => {
  it('allows only the nonce’s script and style, and nothing from the network', () => {
    const policy = contentSecurityPolicy({
      cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
      scriptUri: 'x',
      nonce: 'abc',
    });
    assert.match(policy, /^default-src 'none'/);
    assert.match(policy, /script-src 'nonce-abc'(;|$)/);
    assert.match(policy, /style-src 'nonce-abc'(;|$)/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|https?:\/\/\*/);
    const html = stacksHtml({
      cspSource: 'vscode-resource:',
      scriptUri: 'vscode-resource:/dist/stacks-webview.js',
      nonce: 'abc',
    });
    assert.equal((html.match(/<script /g) ?? []).length, 1);
    assert.match(html, /<script nonce="abc" src="vscode-resource:\/dist\/stacks-webview.js">/);
  });

  it('accepts only the messages it knows, with fields of the right types', () => {
    assert.ok(isFromWebview({ type: 'open', nodeId: 'a', frameIndex: 2 }));
    assert.ok(isFromWebview({ type: 'ready', expanded: [] }));
    assert.ok(!isFromWebview({ type: 'open', file: '/etc/passwd', line: 1 }));
    assert.ok(!isFromWebview({ type: 'expanded', expanded: [1] }));
    assert.ok(!isFromWebview('open'));
  });

  it('resolves theme variables (nested fallbacks too) for exported files', () => {
    const values: Record<string, string> = { '--a': '#111', '--c': '' };
    const css = '.x { fill: var(--a); stroke: var(--b, var(--a)); color: var(--c, red); }';
    assert.equal(
      resolveVariables(css, (name) => values[name] ?? ''),
      '.x { fill: #111; stroke: #111; color: red; }',
    );
  });
});

describe('Async Stacks: what a box says', () => {
  const frames = Array.from({ length: 12 }, (_, index) => ({
    functionName: `f${index}`,
    file: '/app/m.py',
    line: index + 1,
  }));
  const node: StackNode = {
    id: 'n',
    kind: 'frames',
    frames,
    count: 3,
    endingCount: 3,
    awaiting: [{ text: 'Queue.get()', count: 3 }],
    tasks: [],
    oldestAgeMs: 41_000,
  };

  it('leads with the count and the oldest age, elides middle frames, and ends with what it awaits', () => {
    const lines = boxLines(node);
    assert.deepEqual(lines[0], { kind: 'header', badge: '3', text: 'tasks · oldest 41 s' });
    assert.equal(lines.filter((line) => line.kind === 'frame').length, MAX_FRAMES_SHOWN - 1);
    assert.deepEqual(lines[1], { kind: 'frame', text: 'f0', detail: 'm.py:1', frameIndex: 0 });
    assert.equal(lines.at(-2)?.frameIndex, 11, 'the innermost frame is shown');
    assert.match(lines.find((line) => line.kind === 'elided')?.text ?? '', /6 more frames/);
    assert.equal(lines.at(-1)?.text, 'awaits Queue.get() ×3');
  });
});

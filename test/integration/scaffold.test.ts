// The New Echo Server/Client Project command in the real extension host: with every answer passed as
// arguments, through its prompts, refusing what it must refuse, and writing nothing when cancelled.
import * as assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';

const extensionId = 'async-toolkit.async-toolkit';
const command = 'asyncToolkit.newEchoProject';

interface ScaffoldApi {
  flavours: { id: string; label: string; description: string }[];
}
interface Result {
  dir: string;
  flavour: string;
  files: string[];
}

/** Runs the command while `act` is repeated (every 200 ms) until the command settles. */
async function runWhile(args: unknown, act: () => Thenable<unknown>): Promise<Result | undefined> {
  let settled = false;
  const running = Promise.resolve(vscode.commands.executeCommand<Result | undefined>(command, args)).finally(
    () => {
      settled = true;
    },
  );
  const deadline = Date.now() + 30_000;
  while (!settled && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (!settled) await act();
  }
  return running;
}

describe('Scaffold: New Echo Server/Client Project command', () => {
  let parent: string;
  let api: ScaffoldApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<{ scaffold: ScaffoldApi }>(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    api = (await extension.activate()).scaffold;
  });
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'async-toolkit-scaffold-it-'));
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    rmSync(parent, { recursive: true, force: true });
  });

  it('exposes the five flavours through its API', () => {
    assert.deepEqual(
      api.flavours.map((flavour) => flavour.id),
      [
        'python-trio',
        'python-asyncio-streams',
        'python-asyncio-protocol',
        'python-threading',
        'node-typescript',
      ],
    );
  });

  it('creates a project from arguments alone, rendered with its name and port', async () => {
    const result = await vscode.commands.executeCommand<Result>(command, {
      flavour: 'node-typescript',
      parentFolder: parent,
      name: 'Echo Demo',
      port: 23456,
      open: 'none',
    });
    assert.equal(result.dir, join(parent, 'Echo Demo'));
    assert.equal(result.flavour, 'node-typescript');
    for (const file of [
      'README.md',
      'package.json',
      'src/server.ts',
      'src/client.ts',
      '.vscode/launch.json',
    ]) {
      assert.ok(existsSync(join(result.dir, file)), file);
    }
    assert.match(readFileSync(join(result.dir, 'src', 'options.ts'), 'utf8'), /DEFAULT_PORT = 23456;/);
    assert.equal(JSON.parse(readFileSync(join(result.dir, 'package.json'), 'utf8')).name, 'echo-demo');
  });

  it('accepts the parent folder as a URI', async () => {
    const result = await vscode.commands.executeCommand<Result>(command, {
      flavour: 'python-threading',
      parentFolder: vscode.Uri.file(parent),
      name: 'threads',
      port: '4000',
      open: 'none',
    });
    assert.ok(existsSync(join(parent, 'threads', 'server.py')));
    assert.match(readFileSync(join(result.dir, 'server.py'), 'utf8'), /DEFAULT_PORT = 4000\n/);
  });

  it('refuses a folder that is not empty, leaving it as it was', async () => {
    mkdirSync(join(parent, 'taken'));
    writeFileSync(join(parent, 'taken', 'notes.txt'), 'mine');
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand(command, {
          flavour: 'python-trio',
          parentFolder: parent,
          name: 'taken',
          port: 12345,
          open: 'none',
        }),
      ),
      /not empty/,
    );
    assert.deepEqual(readdirSync(join(parent, 'taken')), ['notes.txt']);
  });

  it('refuses an unknown flavour and a port out of range before asking anything', async () => {
    const base = { parentFolder: parent, name: 'x', open: 'none' };
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand(command, { ...base, flavour: 'python-curio', port: 2000 }),
      ),
      /Unknown flavour "python-curio"/,
    );
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand(command, { ...base, flavour: 'python-trio', port: 80 })),
      /outside 1024–65535/,
    );
    assert.deepEqual(readdirSync(parent), []);
  });

  it('asks for what is missing and uses the default it offers when accepted', async () => {
    // The name prompt offers "<flavour>-echo"; accepting it as a user pressing Enter.
    const result = await runWhile(
      { flavour: 'python-asyncio-streams', parentFolder: parent, port: 3456, open: 'none' },
      () => vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem'),
    );
    assert.ok(result, 'the command finished with a project');
    assert.equal(result.dir, join(parent, 'python-asyncio-streams-echo'));
    assert.ok(existsSync(join(result.dir, 'server.py')));
  });

  it('writes nothing when the prompt is cancelled', async () => {
    const result = await runWhile({ flavour: 'python-trio', parentFolder: parent, port: 3456 }, () =>
      vscode.commands.executeCommand('workbench.action.closeQuickOpen'),
    );
    assert.equal(result, undefined);
    assert.deepEqual(readdirSync(parent), []);
  });
});

// The New Echo Server/Client Project command in the real extension host: with every answer passed as
// arguments, through its prompts, refusing what it must refuse, writing nothing when cancelled, and a
// generated project debugged with its own launch configuration.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
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
import { connectOnceListening, unusedPort } from '../support/loopbackPorts';
import { python } from '../support/pythonInterpreter';
import { waitUntil } from '../support/waitUntil';
import { requestWithTimeout, stopAllSessions, waitForStop } from './support/debugSessions';

const extensionId = 'async-toolkit.async-toolkit';
const command = 'asyncToolkit.newEchoProject';
// Substituted by VS Code when it launches from the project's own folder; here the test does it.
const workspaceFolder = 'workspaceFolder';
const workspaceFolderVariable = `\${${workspaceFolder}}`;

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
  await waitUntil(
    'the command to settle',
    async () => {
      if (!settled) await act();
      return settled;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
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

  it("debugs a generated trio server with its own Server launch configuration, stopping in a connection's task", async function () {
    this.timeout(120_000);
    const result = await vscode.commands.executeCommand<Result>(command, {
      flavour: 'python-trio',
      parentFolder: parent,
      name: 'debug-me',
      port: 12345,
      open: 'none',
    });
    const port = await unusedPort();
    const configuration = serverConfiguration(result.dir);
    // What the Python extension adds when it starts a `debugpy` configuration: the interpreter. The port is
    // a free one instead of the default, which another program may hold.
    Object.assign(configuration, {
      python,
      args: ['--port', String(port)],
    });
    await echoThroughBreakpoint({
      file: join(result.dir, 'server.py'),
      lineText: 'await stream.send_all(data)',
      configuration,
      port,
      debugType: 'debugpy',
      timeoutMs: 60_000,
      checkTopFrame: (frame, line) => assert.deepEqual([frame.name, frame.line], ['echo', line]),
    });
  });
  it('debugs a generated Node server with its own Server launch configuration, stopping in the TypeScript source', async function () {
    this.timeout(180_000);
    const result = await vscode.commands.executeCommand<Result>(command, {
      flavour: 'node-typescript',
      parentFolder: parent,
      name: 'debug-node',
      port: 12345,
      open: 'none',
    });
    // What the configuration's preLaunchTask ("build") does in the project's own window.
    for (const args of [
      ['install', '--no-audit', '--no-fund', '--loglevel=error'],
      ['run', '-s', 'build'],
    ]) {
      const npm = spawnSync('npm', args, { cwd: result.dir, encoding: 'utf8' });
      assert.equal(npm.status, 0, npm.stderr);
    }
    const port = await unusedPort();
    const configuration = serverConfiguration(result.dir);
    delete configuration.preLaunchTask; // tasks run only in a workspace folder; built above instead
    configuration.args = ['--port', String(port)];
    const file = join(result.dir, 'src', 'server.ts');
    await echoThroughBreakpoint({
      file,
      lineText: 'if (!this.socket.write(chunk))',
      configuration,
      port,
      debugType: 'pwa-node',
      timeoutMs: 90_000,
      checkTopFrame: (frame, line) => {
        // Mapped back through the source map to the TypeScript line of the breakpoint.
        // (A path in the browser workbench is a vscode-remote:// URI ending in the file's path.)
        const path = frame.source?.path ?? '';
        assert.ok(path.endsWith(file), path);
        assert.equal(frame.line, line);
      },
    });
  });
});

/** The generated project's "Server" launch configuration, with its workspace folder filled in. */
function serverConfiguration(projectDir: string): vscode.DebugConfiguration {
  const launch = JSON.parse(readFileSync(join(projectDir, '.vscode', 'launch.json'), 'utf8'));
  const server = launch.configurations.find(
    (configuration: { name: string }) => configuration.name === 'Server',
  );
  return JSON.parse(JSON.stringify(server).replaceAll(workspaceFolderVariable, projectDir));
}

interface TopFrame {
  name: string;
  line: number;
  source?: { path?: string };
}

/**
 * Debugs a generated server through `configuration` with a breakpoint on the first line of `file`
 * containing `lineText`, sends "ping", checks where it stopped (`line` is 1-based), continues, and
 * expects the echo; breakpoint and sessions are gone afterwards.
 */
async function echoThroughBreakpoint(run: {
  file: string;
  lineText: string;
  configuration: vscode.DebugConfiguration;
  port: number;
  debugType: string;
  timeoutMs: number;
  checkTopFrame: (frame: TopFrame, line: number) => void;
}): Promise<void> {
  const source = vscode.Uri.file(run.file);
  const line = readFileSync(run.file, 'utf8')
    .split('\n')
    .findIndex((text) => text.includes(run.lineText));
  const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(source, new vscode.Position(line, 0)));
  vscode.debug.addBreakpoints([breakpoint]);
  try {
    const stopped = waitForStop((session) => session.type === run.debugType, run.timeoutMs);
    assert.equal(await vscode.debug.startDebugging(undefined, run.configuration), true);
    // The server starts under the debugger, which takes a moment.
    const socket = await connectOnceListening(run.port, { timeoutMs: 60_000, intervalMs: 200 });
    socket.write('ping');
    const { session, threadId } = await stopped;
    const trace = await requestWithTimeout<{ stackFrames: TopFrame[] }>(session, 'stackTrace', {
      threadId,
      startFrame: 0,
      levels: 1,
    });
    run.checkTopFrame(trace.stackFrames[0], line + 1);
    const echoed = once(socket, 'data');
    await requestWithTimeout(session, 'continue', { threadId });
    assert.equal(String((await echoed)[0]), 'ping');
    socket.destroy();
  } finally {
    vscode.debug.removeBreakpoints([breakpoint]);
    await stopAllSessions();
  }
}

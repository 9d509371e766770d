// Every flavour generated with the CLI into a temporary folder and run for real: its own test suite,
// its entry points, every client against every server (the seed's trio programs included), and a load
// of concurrent clients echoing random binary payloads. Slow by nature (≈ 1–2 minutes): real processes.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Flavour, flavours } from '../../../src/scaffold/flavours';
import { unusedPort, waitForPort } from '../../support/loopbackPorts';
import { nodeBinary } from '../../support/nodeBinary';
import { killProcessGroup } from '../../support/processGroup';
import { python } from '../../support/pythonInterpreter';
import { repositoryRoot } from '../../support/repositoryRoot';
import { finished, loadCheck, run, start, startServer, stopAll, waitForOutput } from './echoProcesses';

const cli = join(repositoryRoot, 'dist', 'scaffold-cli.js');
const seedFolder = join(repositoryRoot, 'test', 'unit', 'scaffold', 'seed');
const npm = 'npm';
const slow = 300_000;

interface Project {
  flavour: Flavour;
  dir: string;
  /** The port it was generated with: its server's default. */
  port: number;
}

/**
 * How to start a flavour's server or client from its project folder: its documented entry points.
 * `compiled` runs the Node flavour's already built JavaScript instead of `npm run` (which runs tsc first,
 * seconds on a busy machine), for repeated runs once the entry point itself has been exercised.
 */
function entryPoint(
  project: Project,
  program: 'server' | 'client',
  args: string[],
  compiled = false,
): [string, string[]] {
  if (project.flavour.runtime === 'python') return [python, [`${program}.py`, ...args]];
  if (compiled) return [process.execPath, [join('dist', 'src', `${program}.js`), ...args]];
  // -s keeps npm's banner out of standard output, which the client tests compare byte for byte.
  return [npm, ['run', '-s', program, '--', ...args]];
}

describe('scaffold: generated projects', function () {
  this.timeout(slow);
  let root: string;
  const projects = new Map<string, Project>();

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'async-toolkit-projects-'));
    for (const flavour of flavours) {
      const dir = join(root, flavour.id);
      const port = await unusedPort();
      const result = spawnSync(process.execPath, [cli, flavour.id, dir, '--port', String(port)], {
        encoding: 'utf8',
      });
      assert.equal(result.status, 0, result.stderr);
      projects.set(flavour.id, { flavour, dir, port });
    }
    // Once, reused by every Node test: only from the npm registry.
    const node = projects.get('node-typescript') as Project;
    const install = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: node.dir,
      encoding: 'utf8',
    });
    assert.equal(install.status, 0, install.stderr);
  });

  after(() => {
    stopAll();
    rmSync(root, { recursive: true, force: true });
  });

  for (const flavour of flavours) {
    it(`${flavour.id}: the project's own tests pass${flavour.runtime === 'python' ? ' with warnings as errors' : ''}`, async () => {
      const project = projects.get(flavour.id) as Project;
      const [command, args] =
        flavour.runtime === 'python'
          ? [python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider']]
          : [npm, ['test']];
      const result = await run(command, args, project.dir);
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    });
  }

  it("node-typescript: its own tests pass from the TypeScript sources with Node 24's type stripping", async () => {
    const project = projects.get('node-typescript') as Project;
    // Node 24 from the npm registry, installed once into ~/.cache/async-toolkit (the test host uses it too).
    const node24 = nodeBinary(24); // throws, with npm's report on stderr, when it cannot be installed
    assert.ok(existsSync(node24), `no Node 24 at ${node24}`);
    const result = await run(node24, ['--test', join('test', 'echo.test.ts')], project.dir);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`node-typescript: \`npm run server\` exits 0 when the whole process group gets ${signal}`, async () => {
      // What a terminal's Ctrl+C or a supervisor does: npm and the server both get the signal, and npm
      // forwards its copy, so the server sees it twice. (npm stops forwarding once the server has exited:
      // a signal arriving after that kills npm itself, whatever the program does.)
      const project = projects.get('node-typescript') as Project;
      const [command, args] = entryPoint(project, 'server', ['--port', '0']);
      const { child } = await startServer(command, args, project.dir);
      const exit = finished(child);
      killProcessGroup(child, signal);
      const result = await exit;
      assert.equal(result.code, 0, result.stderr);
    });
  }

  describe('every client with every server', () => {
    const servers = new Map<string, number>();
    const payload = Buffer.concat([
      Buffer.from('hello\n'),
      Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256)),
    ]);

    before(async () => {
      // Each server started without --port: it listens on the port its project was generated with.
      await Promise.all(
        [...projects.values()].map(async (project) => {
          const [command, args] = entryPoint(project, 'server', []);
          const { port } = await startServer(command, args, project.dir);
          assert.equal(port, project.port, `${project.flavour.id} listens on its generated port`);
          servers.set(project.flavour.id, port);
        }),
      );
      const seedPort = await unusedPort();
      const seedServer = join(root, 'echo-server.py');
      writeFileSync(seedServer, withPort(readFileSync(join(seedFolder, 'echo-server.py'), 'utf8'), seedPort));
      // The seed's own code, run as the tutorial runs it (no warnings-as-errors: it is not ours).
      start(python, [seedServer], root, process.env).stdout?.resume();
      await waitForPort(seedPort, { timeoutMs: 60_000 });
      servers.set('seed (trio tutorial)', seedPort);
    });

    for (const client of flavours) {
      it(`${client.id} client: exact binary echo from every server`, async () => {
        const project = projects.get(client.id) as Project;
        for (const [index, [server, port]] of [...servers].entries()) {
          const [command, args] = entryPoint(project, 'client', ['--port', String(port)], index > 0);
          const result = await run(command, args, project.dir, payload);
          assert.equal(result.code, 0, `${client.id} → ${server}: ${result.stderr}`);
          assert.ok(
            result.stdout.equals(payload),
            `${client.id} → ${server}: ${result.stdout.length} bytes back`,
          );
        }
      });
    }

    it("the seed's trio client gets its message back from every generated server", async () => {
      const seedClient = readFileSync(join(seedFolder, 'echo-client.py'), 'utf8');
      for (const flavour of flavours) {
        const port = servers.get(flavour.id) as number;
        const script = join(root, `echo-client-${port}.py`);
        writeFileSync(script, withPort(seedClient, port));
        const child = start(python, [script], root, process.env);
        child.stderr?.resume();
        await waitForOutput(
          child,
          'stdout',
          /receiver: got data b'async can sometimes be confusing, but I believe in you!'/,
        );
        killProcessGroup(child, 'SIGKILL'); // the seed's client sends forever
      }
    });

    it('every generated server echoes 1 000 concurrent clients, each a random binary payload, byte for byte', async () => {
      for (const flavour of flavours) {
        const mismatched = await loadCheck(servers.get(flavour.id) as number, 1000, 16 * 1024);
        assert.equal(mismatched, 0, `${flavour.id}: ${mismatched} of 1000 echoes differ`);
      }
    });
  });
});

function withPort(source: string, port: number): string {
  const rewritten = source.replace(/^PORT = \d+$/m, `PORT = ${port}`);
  assert.notEqual(rewritten, source, 'the seed program sets PORT');
  return rewritten;
}

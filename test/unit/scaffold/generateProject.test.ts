import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPort, flavours } from '../../../src/scaffold/flavours';
import {
  checkTargetFolder,
  generateProject,
  packageNameFor,
  renderTemplate,
  ScaffoldError,
  validatePort,
  validateProjectName,
} from '../../../src/scaffold/generateProject';
import { python } from '../../support/pythonInterpreter';
import { repositoryRoot } from '../../support/repositoryRoot';

const templatesRoot = join(repositoryRoot, 'src', 'scaffold', 'templates');
const cli = join(repositoryRoot, 'dist', 'scaffold-cli.js');

describe('scaffold: project generator', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'async-toolkit-scaffold-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  describe('validateProjectName', () => {
    it('accepts ordinary folder names, spaces and dots inside included', () => {
      for (const name of ['echo', 'My Echo.v2', 'écho-服务器', 'a'.repeat(100)]) {
        assert.equal(validateProjectName(name), undefined, name);
      }
    });
    it('refuses empty names, separators, reserved and device names, and edge spaces or dots', () => {
      for (const name of [
        '',
        ' echo',
        'echo ',
        '.',
        '..',
        'a/b',
        'a\\b',
        'a:b',
        'a*b',
        'nul',
        'COM1.txt',
        'echo.',
        'a\u0001',
      ]) {
        assert.equal(typeof validateProjectName(name), 'string', JSON.stringify(name));
      }
    });
  });

  describe('validatePort', () => {
    it('accepts whole numbers from 1024 to 65535, as numbers or typed text', () => {
      for (const port of [1024, 12345, 65535, '8080', ' 2000 '])
        assert.equal(validatePort(port), undefined, String(port));
    });
    it('refuses privileged, out-of-range and non-numeric ports', () => {
      for (const port of [0, 80, 1023, 65536, '12a', '', '1e4', '-5', '80.5']) {
        assert.equal(typeof validatePort(port), 'string', String(port));
      }
    });
  });

  it('derives a valid npm package name from any folder name', () => {
    assert.equal(packageNameFor('My Echo Server'), 'my-echo-server');
    assert.equal(packageNameFor('__Écho__'), 'echo');
    assert.equal(packageNameFor('服务器'), 'echo-project');
  });

  it('renders the sample port and name, and only whole occurrences of them', () => {
    const text = 'PORT = 12345\nport 123456\n# echo-project\necho-projectile';
    const rendered = renderTemplate(text, 'server.py', { name: 'Mine', port: 20000 });
    assert.equal(rendered, 'PORT = 20000\nport 123456\n# Mine\necho-projectile');
    assert.match(
      renderTemplate('{"name": "echo-project"}', 'package.json', { name: 'My App', port: 2000 }),
      /"my-app"/,
    );
  });

  it('reports a folder that exists and is not empty, and accepts an absent or empty one', async () => {
    assert.equal(await checkTargetFolder(join(scratch, 'absent')), undefined);
    assert.equal(await checkTargetFolder(scratch), undefined);
    writeFileSync(join(scratch, 'notes.txt'), 'mine');
    assert.match((await checkTargetFolder(scratch)) ?? '', /not empty/);
    assert.match((await checkTargetFolder(join(scratch, 'notes.txt'))) ?? '', /not a folder/);
  });

  for (const flavour of flavours) {
    it(`${flavour.id}: writes the project with the chosen name and port, nothing left of the samples`, async () => {
      const dir = join(scratch, 'nested', 'My Project');
      const project = await generateProject({
        flavour: flavour.id,
        targetDir: dir,
        port: 23456,
        templatesRoot,
      });
      assert.deepEqual(
        project.files,
        [...project.files].sort((a, b) => a.localeCompare(b)),
      );
      for (const expected of ['README.md', '.gitignore', '.vscode/launch.json'])
        assert.ok(project.files.includes(expected));
      const entryPoints =
        flavour.runtime === 'python' ? ['server.py', 'client.py', 'requirements.txt'] : ['package.json'];
      for (const expected of entryPoints) assert.ok(project.files.includes(expected), expected);
      for (const file of project.files) {
        const text = readFileSync(join(dir, file), 'utf8');
        assert.doesNotMatch(text, new RegExp(`\\b${defaultPort}\\b|echo-project`), file);
      }
      assert.match(readFileSync(join(dir, 'README.md'), 'utf8'), /^# My Project\n/);
      const launch = JSON.parse(readFileSync(join(dir, '.vscode', 'launch.json'), 'utf8'));
      assert.deepEqual(
        launch.configurations.map((configuration: { name: string }) => configuration.name),
        ['Server', 'Client'],
      );
      assert.deepEqual(launch.compounds[0].configurations, ['Server', 'Client']);
      if (flavour.runtime === 'python') {
        assert.ok(statSync(join(dir, 'server.py')).mode & 0o100, 'server.py is executable');
      } else {
        assert.equal(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name, 'my-project');
      }
    });
  }

  it('refuses a folder that is not empty and leaves it untouched', async () => {
    writeFileSync(join(scratch, 'server.py'), 'mine');
    await assert.rejects(
      generateProject({ flavour: 'python-trio', targetDir: scratch, port: 12345, templatesRoot }),
      (error: Error) => error instanceof ScaffoldError && /not empty/.test(error.message),
    );
    assert.deepEqual(readdirSync(scratch), ['server.py']);
    assert.equal(readFileSync(join(scratch, 'server.py'), 'utf8'), 'mine');
  });

  it('fills an existing empty folder and keeps it', async () => {
    const project = await generateProject({
      flavour: 'python-threading',
      targetDir: scratch,
      port: 3000,
      templatesRoot,
    });
    assert.equal(project.dir, scratch);
    assert.ok(existsSync(join(scratch, 'server.py')));
  });

  it('removes what it created, and only that, when writing fails halfway', async () => {
    // Two layers that disagree: "conflict" is a file in one and a folder in the other, so writing
    // fails after the first files are already on disk.
    const fakeTemplates = join(scratch, 'templates');
    mkdirSync(join(fakeTemplates, 'python-common'), { recursive: true });
    mkdirSync(join(fakeTemplates, 'python-trio', 'conflict'), { recursive: true });
    writeFileSync(join(fakeTemplates, 'python-common', 'a.txt'), 'first');
    writeFileSync(join(fakeTemplates, 'python-common', 'conflict'), 'a file');
    writeFileSync(join(fakeTemplates, 'python-trio', 'conflict', 'inner.txt'), 'needs a folder');
    const parent = join(scratch, 'parent');
    mkdirSync(parent);
    writeFileSync(join(parent, 'keep.txt'), 'not ours');
    const target = join(parent, 'new', 'project');
    await assert.rejects(
      generateProject({
        flavour: 'python-trio',
        targetDir: target,
        port: 12345,
        templatesRoot: fakeTemplates,
      }),
      ScaffoldError,
    );
    assert.deepEqual(readdirSync(parent), ['keep.txt']);
  });

  it('refuses an unknown flavour, a bad port and a bad name with a clear message', async () => {
    const target = join(scratch, 'p');
    const attempt = (options: { flavour?: string; port?: number | string; name?: string }) =>
      generateProject({ flavour: 'python-trio', port: 12345, templatesRoot, targetDir: target, ...options });
    await assert.rejects(attempt({ flavour: 'python-curio' }), /Unknown flavour "python-curio".*python-trio/);
    await assert.rejects(attempt({ port: 80 }), /outside 1024–65535/);
    await assert.rejects(attempt({ name: 'a/b' }), /cannot contain "\/"/);
    assert.equal(existsSync(target), false);
  });

  describe('command line (dist/scaffold-cli.js)', () => {
    const runCli = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

    it('lists every flavour with its description', () => {
      const result = runCli('--list');
      assert.equal(result.status, 0, result.stderr);
      for (const flavour of flavours)
        assert.match(result.stdout, new RegExp(`^${flavour.id} +${flavour.description}$`, 'm'));
    });

    it('generates a project that runs, with the port as its default', () => {
      const dir = join(scratch, 'cli-project');
      const result = runCli('python-threading', dir, '--port', '4567');
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /Created Python · threading project/);
      const help = spawnSync(python, [join(dir, 'server.py'), '--help'], { encoding: 'utf8' });
      assert.match(help.stdout, /default: 4567/);
    });

    it('fails with one line and status 1 on a non-empty folder, status 2 on bad usage', () => {
      writeFileSync(join(scratch, 'x'), '');
      const refused = runCli('python-trio', scratch);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /^scaffold-cli: .*not empty.*\n$/);
      assert.equal(runCli('python-trio').status, 2);
      assert.equal(runCli('python-trio', join(scratch, 'y'), '--prot', '1').status, 2);
    });
  });
});

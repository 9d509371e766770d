import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  nodeOptionsLoad,
  permittedReads,
  quoteForNodeOptions,
  readPermitted,
  splitNodeOptions,
  withAgentRequired,
} from '../../../src/tasks/sources/node/nodeOptions';
import { nodeBinary } from '../agent/nodeVersions';

describe('NODE_OPTIONS injection', () => {
  it('leaves a plain path unquoted and quotes one with spaces', () => {
    assert.equal(quoteForNodeOptions('/opt/ext/dist/agent.js'), '/opt/ext/dist/agent.js');
    assert.equal(quoteForNodeOptions('/home/a b/agent.js'), '"/home/a b/agent.js"');
    assert.equal(
      quoteForNodeOptions('C:\\Program Files\\x\\agent.js'),
      '"C:\\\\Program Files\\\\x\\\\agent.js"',
    );
  });

  it('splits quoted options the way Node reads them', () => {
    assert.deepEqual(splitNodeOptions('  --max-old-space-size=64   -r "/a b/c \\"q\\".js" --inspect'), [
      '--max-old-space-size=64',
      '-r',
      '/a b/c "q".js',
      '--inspect',
    ]);
  });

  it('appends the require after the user options and does not add it twice', () => {
    const once = withAgentRequired('--max-old-space-size=64', '/x y/agent.js');
    assert.equal(once, '--max-old-space-size=64 --require "/x y/agent.js"');
    assert.equal(withAgentRequired(once, '/x y/agent.js'), once);
    assert.equal(nodeOptionsLoad('-r /x/agent.js', '/x/agent.js'), true);
    assert.equal(nodeOptionsLoad('--require=/x/agent.js', '/x/agent.js'), true);
    assert.equal(nodeOptionsLoad('--require /x/other.js', '/x/agent.js'), false);
    assert.equal(withAgentRequired(undefined, '/x/agent.js'), '--require /x/agent.js');
  });

  describe('in a real node process', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'async toolkit "quoted" '));
      writeFileSync(join(dir, 'user preload.js'), "process.stdout.write('user;');\n");
      writeFileSync(join(dir, 'agent.js'), "process.stdout.write('agent;');\n");
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('loads the user preload, then the agent, from paths with spaces and quotes', () => {
      const userOptions = `--require ${quoteForNodeOptions(join(dir, 'user preload.js'))} --stack-trace-limit=7`;
      const nodeOptions = withAgentRequired(userOptions, join(dir, 'agent.js'));
      const output = execFileSync(
        process.execPath,
        ['-e', "process.stdout.write('limit=' + Error.stackTraceLimit)"],
        {
          env: { ...process.env, NODE_OPTIONS: nodeOptions },
          encoding: 'utf8',
        },
      );
      assert.equal(output, 'user;agent;limit=7');
    });
  });

  describe("Node's permission model", () => {
    it('is off without --permission or --experimental-permission', () => {
      assert.equal(permittedReads(['--allow-fs-read=*', '--inspect']), undefined);
      assert.deepEqual(permittedReads(['--permission']), []);
    });

    it('reads --allow-fs-read given with =, as a separate argument, repeated or as a comma list', () => {
      assert.deepEqual(
        permittedReads(['--experimental-permission', '--allow-fs-read=/a,/b', '--allow-fs-read', '/c']),
        ['/a', '/b', '/c'],
      );
    });

    // The agent's path as Node itself decides it (`process.permission.has`), on Node 24: each form of
    // --allow-fs-read is read the same way by the injection plan.
    it('agrees with a real Node about which --allow-fs-read lets the program read the agent', function () {
      this.timeout(60_000);
      const node = nodeBinary(24);
      const dir = mkdtempSync(join(tmpdir(), 'async-toolkit-permission-'));
      const agent = join(dir, 'dist', 'agent.js');
      // Node tells a folder from a file by looking: both exist, as they do for the real agent.
      mkdirSync(join(dir, 'dist'));
      writeFileSync(agent, '');
      try {
        for (const allowed of [
          '*',
          agent,
          join(dir, 'dist'),
          `${join(dir, 'dist')}/`,
          `${dir}/*`,
          join(dir, 'other'),
          `${agent}x`,
        ]) {
          const args = ['--permission', `--allow-fs-read=${allowed}`];
          const nodeSays = execFileSync(
            node,
            [
              ...args,
              '-e',
              `process.stdout.write(String(process.permission.has('fs.read', ${JSON.stringify(agent)})))`,
            ],
            { encoding: 'utf8' },
          );
          assert.equal(
            String(readPermitted(permittedReads(args) ?? [], agent)),
            nodeSays,
            `--allow-fs-read=${allowed}`,
          );
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

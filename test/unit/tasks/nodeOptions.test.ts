import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  nodeOptionsLoad,
  quoteForNodeOptions,
  splitNodeOptions,
  withAgentRequired,
} from '../../../src/tasks/sources/node/nodeOptions';

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
});

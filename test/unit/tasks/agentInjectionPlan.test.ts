import * as assert from 'node:assert/strict';
import { nodeOptionsOfEnvFile, planAgentInjection } from '../../../src/tasks/sources/node/agentInjectionPlan';

const agent = '/ext dir/dist/agent.js';
const on = { injectAgent: true, creationStacks: 'default' as const };
const launch = { type: 'node', request: 'launch', name: 'app', program: '/app/main.js' };

describe('agent injection plan for a launch configuration', () => {
  it('adds the agent after the NODE_OPTIONS the launch sets', () => {
    const plan = planAgentInjection(
      { ...launch, env: { NODE_OPTIONS: '--max-old-space-size=64', A: '1' } },
      agent,
      on,
      undefined,
    );
    assert.deepEqual(plan.env, {
      NODE_OPTIONS: '--max-old-space-size=64 --require "/ext dir/dist/agent.js"',
      A: '1',
    });
  });

  it('keeps the NODE_OPTIONS the debuggee would inherit when the launch sets none', () => {
    const plan = planAgentInjection(launch, agent, on, '--enable-source-maps');
    assert.equal(plan.env?.NODE_OPTIONS, '--enable-source-maps --require "/ext dir/dist/agent.js"');
  });

  it('treats NODE_OPTIONS: null (removed by the user) as empty', () => {
    const plan = planAgentInjection({ ...launch, env: { NODE_OPTIONS: null } }, agent, on, '--inherited');
    assert.equal(plan.env?.NODE_OPTIONS, '--require "/ext dir/dist/agent.js"');
  });

  it('leaves alone launches with injection off, attach sessions and launches that already load the agent', () => {
    assert.equal(planAgentInjection(launch, agent, { ...on, injectAgent: false }, undefined).env, undefined);
    assert.equal(planAgentInjection({ ...launch, request: 'attach' }, agent, on, undefined).env, undefined);
    assert.equal(
      planAgentInjection({ ...launch, __pendingTargetId: 'abc' }, agent, on, undefined).env,
      undefined,
    );
    assert.equal(
      planAgentInjection({ ...launch, runtimeArgs: ['--require', agent] }, agent, on, undefined).env,
      undefined,
    );
    assert.equal(
      planAgentInjection({ ...launch, env: { NODE_OPTIONS: `-r "${agent}"` } }, agent, on, undefined).env,
      undefined,
    );
  });

  it("leaves the agent out of a launch under Node's permission model that does not allow reading it, and says how to allow it", () => {
    for (const config of [
      { ...launch, runtimeArgs: ['--permission', '--allow-fs-read=/app/'] },
      { ...launch, env: { NODE_OPTIONS: '--experimental-permission --allow-fs-read=/app/*' } },
    ]) {
      const plan = planAgentInjection(config, agent, on, undefined);
      assert.equal(plan.env, undefined);
      assert.match(plan.userNote ?? '', /permission model/);
      assert.ok(plan.userNote?.includes(`"--allow-fs-read=${agent}"`), plan.userNote);
    }
    const inherited = planAgentInjection(launch, agent, on, '--permission --allow-fs-read=/app/');
    assert.equal(inherited.env, undefined);
  });

  it("loads the agent under Node's permission model when the launch allows reading it", () => {
    for (const allowed of ['*', agent, '/ext dir/', '/ext dir/dist/*']) {
      const plan = planAgentInjection(
        { ...launch, runtimeArgs: ['--permission', `--allow-fs-read=${allowed}`] },
        agent,
        on,
        undefined,
      );
      assert.equal(plan.env?.NODE_OPTIONS, '--require "/ext dir/dist/agent.js"', allowed);
      assert.equal(plan.userNote, undefined);
    }
  });

  it('reads NODE_OPTIONS from an envFile as js-debug does, so that they are kept', () => {
    const text = [
      '# options for the app',
      'PORT=8080',
      'NODE_OPTIONS="--max-old-space-size=64 --enable-source-maps"',
      'export OTHER=1',
    ].join('\n');
    const fromFile = nodeOptionsOfEnvFile(text);
    assert.equal(fromFile, '--max-old-space-size=64 --enable-source-maps');
    assert.equal(nodeOptionsOfEnvFile('PORT=1\n'), undefined);
    const plan = planAgentInjection(launch, agent, on, fromFile);
    assert.equal(
      plan.env?.NODE_OPTIONS,
      '--max-old-space-size=64 --enable-source-maps --require "/ext dir/dist/agent.js"',
    );
  });

  it('leaves alone Run Without Debugging, where no snapshot can be taken', () => {
    const plan = planAgentInjection({ ...launch, noDebug: true }, agent, on, undefined);
    assert.equal(plan.env, undefined);
    assert.match(plan.reason, /without debugging/);
  });

  it('passes the creation stack mode, unless the launch chose one itself', () => {
    assert.equal(
      planAgentInjection(launch, agent, on, undefined).env?.ASYNC_TOOLKIT_CREATION_STACKS,
      undefined,
    );
    const all = { ...on, creationStacks: 'all' as const };
    assert.equal(planAgentInjection(launch, agent, all, undefined).env?.ASYNC_TOOLKIT_CREATION_STACKS, 'all');
    const own = { ...launch, env: { ASYNC_TOOLKIT_CREATION_STACKS: 'off' } };
    assert.equal(planAgentInjection(own, agent, all, undefined).env?.ASYNC_TOOLKIT_CREATION_STACKS, 'off');
  });
});

import * as assert from 'node:assert/strict';
import type { Task } from '../../../src/snapshot/format';
import { taskLocation } from '../../../src/tasks/taskLocation';

describe('task location (what selecting a task opens)', () => {
  const base: Task = { id: '1', parentId: null, type: 'Task', state: 'pending' };
  const frame = { file: '/app/main.py', line: 12, functionName: 'worker' };

  it('opens the creation site when the task has one', () => {
    const site = { file: '/app/api.js', line: 3 };
    assert.deepEqual(taskLocation({ ...base, site, stack: [frame], stackKind: 'suspended' }), {
      location: site,
      kind: 'creation',
    });
  });

  it('opens the innermost suspended frame of a Python task without a creation site', () => {
    const outer = { file: '/app/main.py', line: 40, functionName: 'main' };
    assert.deepEqual(taskLocation({ ...base, stack: [frame, outer], stackKind: 'suspended' }), {
      location: frame,
      kind: 'suspended',
    });
  });

  it('does not treat a creation stack without a site as a place the task waits', () => {
    assert.equal(taskLocation({ ...base, stack: [frame], stackKind: 'creation' }), undefined);
  });

  it('has nowhere to go without a site or a stack', () => {
    assert.equal(taskLocation(base), undefined);
  });
});

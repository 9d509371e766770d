import * as assert from 'node:assert/strict';
import type { Task } from '../../../src/snapshot/format';
import { taskLocation } from '../../../src/tasks/taskLocation';

describe('task location (what selecting a task opens)', () => {
  const base: Task = { id: '1', parentId: null, type: 'Task', state: 'pending' };
  const frame = { file: '/app/main.py', line: 12, functionName: 'worker' };

  it('opens where a task waits now rather than where it was created', () => {
    const site = { file: '/app/api.js', line: 3 };
    assert.deepEqual(taskLocation({ ...base, site, stack: [frame], stackKind: 'suspended' }), {
      location: frame,
      kind: 'suspended',
    });
    assert.deepEqual(taskLocation({ ...base, site, stack: [frame], stackKind: 'creation' }), {
      location: site,
      kind: 'creation',
    });
  });

  it('opens the innermost frame of the program, not of a library or the runtime', () => {
    const library = { file: '/app/node_modules/pg/query.js', line: 80, origin: 'library' as const };
    const runtime = { file: 'node:internal/timers', line: 4, origin: 'runtime' as const };
    assert.deepEqual(
      taskLocation({ ...base, stack: [runtime, library, frame], stackKind: 'suspended' })?.location,
      frame,
    );
    assert.deepEqual(
      taskLocation({ ...base, stack: [runtime, library], stackKind: 'suspended' })?.location,
      runtime,
    );
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

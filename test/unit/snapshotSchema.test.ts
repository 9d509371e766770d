import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { SNAPSHOT_FORMAT_VERSION } from '../../src/snapshot/format';

const root = join(__dirname, '..', '..', '..');

describe('snapshot schema', () => {
  const schema = JSON.parse(readFileSync(join(root, 'src', 'snapshot', 'snapshot.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true }).compile(schema);

  it('accepts a minimal snapshot of the current version', () => {
    const snapshot = { version: SNAPSHOT_FORMAT_VERSION, runtime: 'node', pid: 1, takenAt: 0, tasks: [] };
    assert.equal(validate(snapshot), true, JSON.stringify(validate.errors));
  });

  it('rejects a task without a state', () => {
    const snapshot = {
      version: 1,
      runtime: 'asyncio',
      pid: 1,
      takenAt: 0,
      tasks: [{ id: '1', parentId: null, type: 'Task' }],
    };
    assert.equal(validate(snapshot), false);
  });
});

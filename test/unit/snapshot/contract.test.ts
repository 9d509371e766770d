// The snapshot contract holds together: the hand-written check and the JSON Schema give the same
// verdict on valid and invalid samples, the Python probe states the same format version and option
// names, and the request check names what is wrong.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { checkSnapshot, SnapshotFormatError } from '../../../src/snapshot/checkSnapshot';
import { SNAPSHOT_FORMAT_VERSION } from '../../../src/snapshot/format';
import { parseSnapshotRequest, SNAPSHOT_REQUEST_OPTIONS } from '../../../src/snapshot/request';
import { repositoryRoot as root } from '../../support/repositoryRoot';

const schema = JSON.parse(readFileSync(join(root, 'src', 'snapshot', 'snapshot.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);

const base = { version: SNAPSHOT_FORMAT_VERSION, runtime: 'node', pid: 1, takenAt: 0, tasks: [] };
const task = { id: 'p1', parentId: null, type: 'PROMISE', state: 'pending' };
const site = { file: '/app/api.ts', line: 42, column: 3, functionName: 'fetchUser' };

const valid: Record<string, unknown> = {
  minimal: base,
  'every field': {
    ...base,
    runtime: 'asyncio',
    tasks: [
      {
        ...task,
        name: 'worker-1',
        ageMs: 1500,
        awaiting: 'Queue.get()',
        site,
        siteInherited: true,
        waitingMs: 900,
        stack: [
          site,
          { file: 'node:internal/timers', line: 1, origin: 'runtime' },
          { ...site, inferred: true },
        ],
        stackKind: 'suspended',
        internal: false,
        details: { thread: 'MainThread', deadline: 3.5, cancelling: false },
      },
    ],
    groups: [
      {
        id: 'g1',
        label: 'Queue.get()',
        kind: 'awaiting',
        site,
        count: 3,
        states: { pending: 3 },
        taskIds: ['p1'],
      },
    ],
    handles: [{ id: 'h1', type: 'Timeout', description: 'setTimeout 5 ms', site, stack: [site] }],
    truncated: { totalTasks: 3, sentTasks: 1 },
    error: 'could not read one loop',
    notes: ['Promise tracking paused once.'],
    findings: [
      {
        id: 'f1',
        kind: 'cycle',
        severity: 'error',
        message: 'a and b wait for each other',
        taskIds: ['p1'],
        site,
      },
      { id: 'f2', kind: 'stuck', severity: 'warning', message: 'waits for 41 s', taskIds: [] },
    ],
  },
  'no findings, said': { ...base, findings: [] },
  'a snapshot of the previous version': { ...base, version: 1 },
  'extra fields a newer runtime adds': {
    ...base,
    future: { anything: true },
    tasks: [{ ...task, future: 1 }],
  },
};

const invalid: Record<string, unknown> = {
  'not an object': [base],
  'no version': { ...base, version: undefined },
  'a newer version': { ...base, version: SNAPSHOT_FORMAT_VERSION + 1 },
  'version zero': { ...base, version: 0 },
  'an unknown runtime': { ...base, runtime: 'deno' },
  'no pid': { ...base, pid: undefined },
  'a fractional pid': { ...base, pid: 1.5 },
  'no task list': { ...base, tasks: undefined },
  'a task without a state': { ...base, tasks: [{ ...task, state: undefined }] },
  'a task with an unknown state': { ...base, tasks: [{ ...task, state: 'sleeping' }] },
  'a numeric parent id': { ...base, tasks: [{ ...task, parentId: 7 }] },
  'a negative age': { ...base, tasks: [{ ...task, ageMs: -1 }] },
  'a site without a line': { ...base, tasks: [{ ...task, site: { file: '/a.js' } }] },
  'line zero': { ...base, tasks: [{ ...task, stack: [{ file: '/a.js', line: 0 }] }] },
  'an unknown stack kind': { ...base, tasks: [{ ...task, stackKind: 'current' }] },
  'details holding an object': { ...base, tasks: [{ ...task, details: { peer: { host: 'x' } } }] },
  'a group without a label': { ...base, groups: [{ id: 'g', kind: 'site', count: 1, taskIds: [] }] },
  'a group of an unknown kind': {
    ...base,
    groups: [{ id: 'g', label: 'x', kind: 'file', count: 1, taskIds: [] }],
  },
  'a group with a fractional count': {
    ...base,
    groups: [{ id: 'g', label: 'x', kind: 'site', count: 1.5, taskIds: [] }],
  },
  'groups that are not a list': { ...base, groups: {} },
  'a handle without a description': { ...base, handles: [{ id: 'h', type: 'Timeout' }] },
  'notes that are not strings': { ...base, notes: [42] },
  'truncated without counts': { ...base, truncated: { totalTasks: 3 } },
  'an error that is not a string': { ...base, error: { message: 'x' } },
  'a frame of an unknown origin': { ...base, tasks: [{ ...task, stack: [{ ...site, origin: 'vendor' }] }] },
  'a negative wait': { ...base, tasks: [{ ...task, waitingMs: -5 }] },
  'findings that are not a list': { ...base, findings: {} },
  'a finding of an unknown kind': {
    ...base,
    findings: [{ id: 'f', kind: 'slow', severity: 'info', message: '', taskIds: [] }],
  },
  'a finding without a message': {
    ...base,
    findings: [{ id: 'f', kind: 'stuck', severity: 'info', taskIds: [] }],
  },
};

function checkerAccepts(sample: unknown): boolean {
  try {
    checkSnapshot(JSON.parse(JSON.stringify(sample)));
    return true;
  } catch (error) {
    assert.ok(error instanceof SnapshotFormatError, `a readable error, not ${error}`);
    return false;
  }
}

describe('snapshot contract', () => {
  for (const [name, sample] of Object.entries(valid)) {
    it(`check and schema both accept: ${name}`, () => {
      assert.equal(validate(JSON.parse(JSON.stringify(sample))), true, JSON.stringify(validate.errors));
      assert.equal(checkerAccepts(sample), true);
    });
  }
  for (const [name, sample] of Object.entries(invalid)) {
    it(`check and schema both refuse: ${name}`, () => {
      assert.equal(validate(JSON.parse(JSON.stringify(sample))), false, 'the schema accepted it');
      assert.equal(checkerAccepts(sample), false, 'the check accepted it');
    });
  }

  it('the schema states the current format version', () => {
    assert.equal(schema.properties.version.maximum, SNAPSHOT_FORMAT_VERSION);
  });

  it('the Python probe states the same format version', () => {
    const probe = readFileSync(join(root, 'python', 'async_toolkit_probe.py'), 'utf8');
    const stated = /^FORMAT_VERSION = (\d+)$/m.exec(probe);
    assert.ok(stated, 'FORMAT_VERSION = N in the probe');
    assert.equal(Number(stated[1]), SNAPSHOT_FORMAT_VERSION);
  });
});

describe('snapshot request', () => {
  it('fills in defaults and names every option it knows', () => {
    const request = parseSnapshotRequest(undefined);
    assert.equal(request.groupBy, 'default');
    assert.deepEqual(Object.keys(request).sort(), [...SNAPSHOT_REQUEST_OPTIONS].sort());
  });

  it('refuses unknown options and bad values, naming them', () => {
    assert.throws(() => parseSnapshotRequest({ groupby: 'site' }), /unknown snapshot option "groupby"/);
    assert.throws(
      () => parseSnapshotRequest({ groupBy: 'file' }),
      /groupBy must be 'default', 'type', 'none', got "file"/,
    );
    assert.throws(() => parseSnapshotRequest({ limit: -1 }), /limit must be a non-negative integer, got -1/);
    assert.throws(
      () => parseSnapshotRequest({ includeInternals: 'yes' }),
      /includeInternals must be a boolean/,
    );
    assert.throws(() => parseSnapshotRequest('site'), /must be an object, got "site"/);
  });
});

// Node findings in the real extension host, through js-debug: a program whose two operations await
// each other (test/fixtures/findings/awaitEachOther.js) stops at `debugger;`, and the session's Problems
// row names the deadlock, its members are the two operations, and the Problems panel lists it at the
// line where the first member waits.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FindingRow, FindingsRow, Row, TaskRow } from '../../src/tasks/rows/rowTypes';
import { repositoryRoot } from '../support/repositoryRoot';
import { waitUntil } from '../support/waitUntil';
import { markerLine } from '../unit/agent/fixtureLines';
import { launchNodeStopped, stopAllSessions } from './support/debugSessions';
import { snapshotRow, tasksApi } from './support/tasksView';

const program = join(repositoryRoot, 'test', 'fixtures', 'findings', 'awaitEachOther.js');

describe('Node findings in the Async Tasks view, through js-debug', () => {
  afterEach(async () => {
    await stopAllSessions();
  });

  it('shows a deadlock of two operations under Problems, and in the Problems panel', async () => {
    const settings = vscode.workspace.getConfiguration('asyncToolkit.tasks');
    await settings.update('showProblemsWhilePaused', true, vscode.ConfigurationTarget.Global);
    try {
      const api = await tasksApi();
      const { session } = await launchNodeStopped(program, { env: { ASYNC_TOOLKIT_FIXTURE_DEBUGGER: '1' } });
      const row = await snapshotRow(api, session.id, 'a snapshot of two operations awaiting each other');
      const problems = api.getChildren(row).find((child): child is FindingsRow => child.kind === 'findings');
      assert.ok(problems, 'a Problems row at the top of the session');
      const [deadlock, ...others] = api.getChildren(problems) as FindingRow[];
      assert.deepEqual(
        others.map((other) => other.finding.message),
        [],
      );
      const first = markerLine(program, 'first');
      const second = markerLine(program, 'second');
      assert.equal(deadlock.finding.kind, 'cycle');
      assert.equal(
        deadlock.finding.message,
        `"first" (awaitEachOther.js:${first}) awaits "second", "second" (awaitEachOther.js:${second}) awaits "first": none can go on`,
      );
      const members = api
        .getChildren(deadlock as Row)
        .filter((child): child is TaskRow => child.kind === 'task')
        .map((member) => [member.task.name, member.task.awaiting]);
      assert.deepEqual(members, [
        ['first', 'operation "second"'],
        ['second', 'operation "first"'],
      ]);
      const diagnostics = await waitUntil(
        'the deadlock in the Problems panel',
        () => {
          const found = vscode.languages.getDiagnostics(vscode.Uri.file(program));
          return found.length ? found : undefined;
        },
        { timeoutMs: 20_000 },
      );
      assert.deepEqual(
        diagnostics.map((diagnostic) => [diagnostic.range.start.line + 1, diagnostic.message]),
        [[first, deadlock.finding.message]],
      );
    } finally {
      await settings.update('showProblemsWhilePaused', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

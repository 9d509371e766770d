// The guest suite: every case of guestCases.ts on every supported Node major, without the agent and
// with it in each creation-stack mode (the default, `all`, `sampled`, `off`), compared byte for byte.
// All runs are started at once into a shared pool; each test waits for its own.
import * as assert from 'node:assert/strict';
import type { CreationStacksMode } from '../../src/tasks/tasksSettings';
import { nodeBinary, SUPPORTED_MAJORS } from '../unit/agent/nodeVersions';
import { type GuestCase, guestCases } from './guestCases';
import { type GuestRun, runGuest } from './runGuest';

const MODES: CreationStacksMode[] = ['default', 'all', 'sampled', 'off'];

interface Planned {
  baseline: Promise<GuestRun>;
  withAgent: Map<CreationStacksMode, Promise<GuestRun>>;
}

function describeRun(run: GuestRun): string {
  return `exit ${run.code ?? run.signal}\n--- stdout\n${run.stdout}--- stderr\n${run.stderr}`;
}

/** Node's warnings name the process (`(node:12345) ExperimentalWarning: …`): ids differ from run to run. */
function withoutProcessIds(text: string): string {
  return text.replace(/^\(node:\d+\)/gm, '(node:<pid>)');
}

function compare(guest: GuestCase, major: number, baseline: GuestRun, run: GuestRun, mode: string): void {
  const known = guest.knownDifference?.majors.includes(major) ? guest.knownDifference : undefined;
  const shown = (text: string) => withoutProcessIds(known ? known.normalize(text) : text);
  const context = `${mode} (${run.plan})\nwithout the agent: ${describeRun(baseline)}\nwith the agent: ${describeRun(run)}`;
  assert.equal(shown(run.stdout), shown(baseline.stdout), `stdout differs in ${context}`);
  assert.equal(shown(run.stderr), shown(baseline.stderr), `stderr differs in ${context}`);
  assert.equal(run.code, baseline.code, `exit code differs in ${context}`);
  assert.equal(run.signal, baseline.signal, `signal differs in ${context}`);
}

describe('Guest: programs behave the same with the agent as without it', function () {
  this.timeout(180_000);
  const planned = new Map<string, Planned>();
  const binaries = new Map<number, string>();

  before(() => {
    for (const major of SUPPORTED_MAJORS) binaries.set(major, nodeBinary(major));
    // Everything is queued now, in the order the tests wait for it.
    for (const guest of guestCases) {
      for (const major of SUPPORTED_MAJORS) {
        const args = guest.nodeArgs ? guest.nodeArgs(major) : [];
        if (args === undefined) continue;
        const node = binaries.get(major) as string;
        const withAgent = new Map<CreationStacksMode, Promise<GuestRun>>();
        const baseline = runGuest(node, guest.file, args, 'none');
        for (const mode of MODES) withAgent.set(mode, runGuest(node, guest.file, args, mode));
        planned.set(`${guest.proves}@${major}`, { baseline, withAgent });
      }
    }
  });

  for (const guest of guestCases) {
    describe(`${guest.file}: ${guest.proves}`, () => {
      for (const major of SUPPORTED_MAJORS) {
        if (guest.nodeArgs?.(major) === undefined && guest.nodeArgs) continue;
        for (const mode of MODES) {
          it(`Node ${major}, ${mode === 'default' ? 'default mode' : `\`${mode}\``}`, async () => {
            const runs = planned.get(`${guest.proves}@${major}`) as Planned;
            const baseline = await runs.baseline;
            assert.equal(
              baseline.code,
              guest.baseline.code ?? 0,
              `the case itself failed: ${describeRun(baseline)}`,
            );
            if (guest.baseline.stdout)
              assert.match(baseline.stdout, guest.baseline.stdout, describeRun(baseline));
            if (guest.baseline.stderr)
              assert.match(baseline.stderr, guest.baseline.stderr, describeRun(baseline));
            compare(guest, major, baseline, await (runs.withAgent.get(mode) as Promise<GuestRun>), mode);
          });
        }
      }
    });
  }
});

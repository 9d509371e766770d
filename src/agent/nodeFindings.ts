// The findings a Node snapshot sends (docs/snapshot-format.md, "Findings"): rings of operations that
// await one another (operationCycles.ts), and operations dropped while pending (orphanWatch.ts). The
// view adds the findings any runtime allows (operations stuck past a limit, growing groups).

import type { Finding } from '../snapshot/format';
import { baseName } from './groupTasks';
import { SafeSet } from './intrinsics';
import { leafAwaiting } from './operationAwaiting';
import { type CycleMember, findOperationCycles } from './operationCycles';
import { functionKey, innermostOwn, operationName, shownFrames } from './operationFrames';
import { builtinName } from './operationLinks';
import type { FoundOperations, Operation } from './operationModel';
import { MAX_ORPHAN_PLACES, type OrphanReport } from './orphanWatch';
import { toLocation } from './snapshotTasks';
import type { Frame } from './stackTypes';

const where = (frame: Frame) => `${baseName(frame.file)}:${frame.line}`;
const nameOf = (frame: Frame) => `"${frame.functionName ?? '(anonymous)'}"`;

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The operation a member of a ring is shown as: its own step's, its combinator's, or one at its line. */
function operationIdOf(member: CycleMember, operations: readonly Operation[]): string | undefined {
  for (const id of [`o${member.step.record.number}`, `o${member.target.number}`])
    if (operations.some((item) => item.id === id)) return id;
  return operations.find((item) => {
    const own = innermostOwn(item.frames);
    return own !== undefined && own.file === member.frame.file && own.line === member.frame.line;
  })?.id;
}

function memberText(member: CycleMember): string {
  const awaited = member.awaitedNames.map((name) => `"${name}"`).join(', ');
  const what = member.target.elements === undefined ? awaited : `a Promise.all of ${awaited}`;
  return `${nameOf(member.frame)} (${where(member.frame)}) awaits ${what}`;
}

/** One `cycle` finding per ring, its members from the one that began waiting first. */
export function cycleFindings(found: FoundOperations, operations: readonly Operation[]): Finding[] {
  const partial =
    found.reasons.size > 0 ? ' (some operations have no exact stack: the ring may hold more)' : '';
  return findOperationCycles(found.parts).map((ring) => {
    const keys = ring.map(
      (member) => `${member.frame.functionName}@${member.frame.file}:${member.frame.line}`,
    );
    const taskIds: string[] = [];
    for (const member of ring) {
      const id = operationIdOf(member, operations);
      if (id !== undefined && !taskIds.includes(id)) taskIds.push(id);
    }
    return {
      id: `cycle:${[...keys].sort().join(',')}`,
      kind: 'cycle',
      severity: 'error',
      message: `${ring.map(memberText).join(', ')}: none can go on${partial}`,
      taskIds,
      site: toLocation(ring[0].frame),
    };
  });
}

/** One `orphan` finding per place operations were dropped at, and a note of how many in all. */
export function orphanFindings(
  report: OrphanReport | undefined,
  takenAt: number,
  includeInternals: boolean,
): { findings: Finding[]; note: string | undefined } {
  if (report === undefined || report.total === 0) return { findings: [], note: undefined };
  const findings: Finding[] = [];
  // A dropped chain's calls go with its leaf, whose stack passes through them: one finding.
  const inLeafChains: Set<string> = new SafeSet();
  for (const place of report.places)
    if (place.stack.builtin !== undefined)
      for (const frame of place.stack.frames) if (!frame.internal) inLeafChains.add(functionKey(frame));
  for (const place of report.places) {
    const frames = shownFrames(place.stack.frames, false, includeInternals);
    const site = innermostOwn(frames);
    if (site === undefined) continue;
    const call = place.stack.builtin === undefined;
    if (call && inLeafChains.has(functionKey(site))) continue;
    // A call's stack goes on into whoever called it, which is not what was dropped.
    const name = (call ? site.functionName : operationName(frames)) ?? site.functionName ?? '(anonymous)';
    const awaiting = call ? '' : `${leafAwaiting(builtinName(place.stack.builtin), frames, []).text}, `;
    const age =
      place.createdAt === undefined
        ? ''
        : ` ${formatMs(place.collectedAt - place.createdAt)} after it was made`;
    const times =
      place.count === 1
        ? ''
        : ` (${place.count} times here, the last ${formatMs(takenAt - place.collectedAt)} ago)`;
    findings.push({
      id: `orphan:dropped:${site.file}:${site.line}`,
      kind: 'orphan',
      severity: 'warning',
      message: `"${name}" was dropped while waiting (${awaiting}${where(site)}): its promise was garbage-collected unsettled${age}, so nothing can settle it and the code awaiting it never resumes${times}`,
      taskIds: [],
      site: toLocation(site),
    });
  }
  const places = report.places.length;
  const note = `${report.total} pending ${report.total === 1 ? 'promise' : 'promises'} that operations waited on ${report.total === 1 ? 'was' : 'were'} garbage-collected unsettled since the agent loaded (dropped work); findings name the last ${places} ${places === 1 ? 'place' : 'places'} (at most ${MAX_ORPHAN_PLACES}).`;
  return { findings, note };
}

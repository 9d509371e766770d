// The findings a Node snapshot sends (docs/snapshot-format.md, "Findings"): rings of operations that
// await one another (operationCycles.ts), and operations dropped while pending (orphanWatch.ts). The
// view adds the findings any runtime allows (operations stuck past a limit, growing groups).

import type { Finding } from '../snapshot/format';
import { baseName } from './groupTasks';
import { SafeMap, SafeSet } from './intrinsics';
import { leafAwaiting } from './operationAwaiting';
import { type CycleMember, findOperationCycles } from './operationCycles';
import { functionKey, innermostOwn, operationName, shownFrames } from './operationFrames';
import { builtinName } from './operationLinks';
import type { FoundOperations, Operation } from './operationModel';
import { MAX_ORPHAN_PLACES, type OrphanPlace, type OrphanReport } from './orphanWatch';
import { toLocation } from './snapshotTasks';
import type { Frame } from './stackTypes';

const where = (frame: Frame) => `${baseName(frame.file)}:${frame.line}`;
const nameOf = (frame: Frame) => `"${frame.functionName ?? '(anonymous)'}"`;

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Finds the operation a member of a ring is shown as: its step's, its combinator's, or one at its line. */
function operationFinder(operations: readonly Operation[]): (member: CycleMember) => string | undefined {
  const ids: Set<string> = new SafeSet(operations.map((item) => item.id));
  let atLine: Map<string, string> | undefined;
  return (member) => {
    for (const id of [`o${member.step.record.number}`, `o${member.target.number}`])
      if (ids.has(id)) return id;
    if (atLine === undefined) {
      atLine = new SafeMap();
      for (const item of operations) {
        const own = innermostOwn(item.frames);
        const key = own === undefined ? undefined : `${own.file}:${own.line}`;
        if (key !== undefined && !atLine.has(key)) atLine.set(key, item.id);
      }
    }
    return atLine.get(`${member.frame.file}:${member.frame.line}`);
  };
}

function memberText(member: CycleMember): string {
  const awaited = member.awaitedNames.map((name) => `"${name}"`).join(', ');
  const what = member.target.elements === undefined ? awaited : `a Promise.all of ${awaited}`;
  return `${nameOf(member.frame)} (${where(member.frame)}) awaits ${what}`;
}

/**
 * One `cycle` finding per ring, its members from the one that began waiting first. Rings of the same
 * functions at the same lines are one finding, each member said once (which call awaits which is not
 * known: operationCycles.ts).
 */
export function cycleFindings(found: FoundOperations, operations: readonly Operation[]): Finding[] {
  const cycles = findOperationCycles(found.parts);
  if (cycles.length === 0) return [];
  const partial =
    found.reasons.size > 0 ? ' (some operations have no exact stack: the ring may hold more)' : '';
  const operationOf = operationFinder(operations);
  return cycles.map((ring) => {
    const keys = new SafeSet(
      ring.map((member) => `${member.frame.functionName}@${member.frame.file}:${member.frame.line}`),
    );
    const taskIds: Set<string> = new SafeSet();
    for (const member of ring) {
      const id = operationOf(member);
      if (id !== undefined) taskIds.add(id);
    }
    const texts = [...new SafeSet(ring.map(memberText))];
    const rings = ring.length / texts.length;
    const many = rings > 1 && Number.isInteger(rings) ? ` (${rings} rings like this)` : '';
    return {
      id: `cycle:${[...keys].sort().join(',')}`,
      kind: 'cycle',
      severity: 'error',
      message: `${texts.join(', ')}: none can go on${many}${partial}`,
      taskIds: [...taskIds],
      site: toLocation(ring[0].frame),
    };
  });
}

/** One `orphan` finding per place operations were dropped at, latest first, and a note of how many in all. */
export function orphanFindings(
  report: OrphanReport | undefined,
  takenAt: number,
  includeInternals: boolean,
): { findings: Finding[]; note: string | undefined } {
  if (report === undefined || report.total === 0) return { findings: [], note: undefined };
  // A dropped chain's calls go with its leaf, whose stack passes through them: one finding.
  const inLeafChains: Set<string> = new SafeSet();
  for (const place of report.places)
    if (place.stack.builtin !== undefined)
      for (const frame of place.stack.frames) if (!frame.internal) inLeafChains.add(functionKey(frame));
  // Stacks that differ further out can share their innermost own line: one finding, counts added.
  const bySite: Map<string, { place: OrphanPlace; site: Frame; count: number }> = new SafeMap();
  const latestFirst = [...report.places].sort((a, b) => b.collectedAt - a.collectedAt);
  for (const place of latestFirst) {
    const frames = shownFrames(place.stack.frames, false, includeInternals);
    const site = innermostOwn(frames);
    if (site === undefined) continue;
    if (place.stack.builtin === undefined && inLeafChains.has(functionKey(site))) continue;
    const id = `orphan:dropped:${site.file}:${site.line}`;
    const known = bySite.get(id);
    if (known !== undefined) known.count += place.count;
    else if (bySite.size < MAX_ORPHAN_PLACES) bySite.set(id, { place, site, count: place.count });
  }
  const findings: Finding[] = [];
  for (const [id, { place, site, count }] of bySite)
    findings.push({
      id,
      kind: 'orphan',
      severity: 'warning',
      message: orphanMessage(place, site, count, takenAt, includeInternals),
      taskIds: [],
      site: toLocation(site),
    });
  // Dropped promises none of whose places are in the program's code (a library's own, collected with the
  // chain a finding names, or alone): nothing the user could open or act on, so not said.
  if (findings.length === 0) return { findings, note: undefined };
  const total = report.total;
  const note = `${total} pending ${total === 1 ? 'promise' : 'promises'} that operations waited on ${total === 1 ? 'was' : 'were'} garbage-collected unsettled since the agent loaded (dropped work); findings name the latest ${findings.length === 1 ? 'place' : `${findings.length} places`} (at most ${MAX_ORPHAN_PLACES}).`;
  return { findings, note };
}

function orphanMessage(
  place: OrphanPlace,
  site: Frame,
  count: number,
  takenAt: number,
  includeInternals: boolean,
): string {
  const frames = shownFrames(place.stack.frames, false, includeInternals);
  const call = place.stack.builtin === undefined;
  // A call's stack goes on into whoever called it, which is not what was dropped.
  const name = (call ? site.functionName : operationName(frames)) ?? site.functionName ?? '(anonymous)';
  const awaiting = call ? '' : `${leafAwaiting(builtinName(place.stack.builtin), frames, []).text}, `;
  const age =
    place.createdAt === undefined
      ? ''
      : ` ${formatMs(place.collectedAt - place.createdAt)} after it was made`;
  const times =
    count === 1 ? '' : ` (${count} times here, the last ${formatMs(takenAt - place.collectedAt)} ago)`;
  return `"${name}" was dropped while waiting (${awaiting}${where(site)}): its promise was garbage-collected unsettled${age}, so nothing can settle it and the code awaiting it never resumes${times}`;
}

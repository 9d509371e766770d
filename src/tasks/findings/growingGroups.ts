// "Growth": groups that grew in each of the last snapshots — the leak question ("what keeps piling
// up?") as a finding, judged on the counts of the same group across the session's history.
import type { Finding } from '../../snapshot/format';
import type { ViewGroup } from '../grouping';

/** Grew this many times in a row. */
const GROWTHS_NEEDED = 2;

/** `history`: each snapshot's groups, oldest first, the current one last. */
export function findGrowingGroups(history: readonly (readonly ViewGroup[])[]): Finding[] {
  if (history.length < GROWTHS_NEEDED + 1) return [];
  const recent = history.slice(-(GROWTHS_NEEDED + 1));
  const counts = recent.map((groups) => new Map(groups.map((group) => [group.key, group.count])));
  const current = recent[recent.length - 1];
  const findings: { finding: Finding; growth: number }[] = [];
  for (const group of current) {
    const series = counts.map((byKey) => byKey.get(group.key) ?? 0);
    const grewEachTime = series.every((count, index) => index === 0 || count > series[index - 1]);
    if (!grewEachTime) continue;
    const growth = series[series.length - 1] - series[0];
    findings.push({
      growth,
      finding: {
        id: `growth:${group.key}`,
        kind: 'growth',
        severity: 'info',
        message: `${group.label} keeps growing: ${series.join(' → ')} over the last ${series.length} snapshots`,
        taskIds: group.tasks.map((task) => task.id),
        ...(group.site ? { site: group.site } : {}),
      },
    });
  }
  return findings.sort((a, b) => b.growth - a.growth).map(({ finding }) => finding);
}

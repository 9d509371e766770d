// Findings on the picture: a box holding tasks of a deadlock, a stuck wait or work that can never finish
// is outlined in the finding's colour (error, warning, information, from the theme) and its messages
// join its hover card; the status line counts them.
import type { BoxProblem } from '../messages';

export function markProblems(boxes: ReadonlyMap<string, SVGGElement>, problems: readonly BoxProblem[]): void {
  for (const problem of problems) {
    const box = boxes.get(problem.boxId);
    if (!box) continue;
    box.classList.add('problem', problem.severity);
    box.setAttribute('aria-label', `${box.getAttribute('aria-label') ?? ''}; ${problem.messages.join('; ')}`);
  }
}

/** "2 boxes hold tasks of problems the Async Tasks view found (1 deadlock)" */
export function problemsNote(problems: readonly BoxProblem[]): string {
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const boxes = `${problems.length} ${problems.length === 1 ? 'box holds' : 'boxes hold'}`;
  return `${boxes} tasks of problems the Async Tasks view found${errors ? ` (${errors} with a deadlock or work that can never finish)` : ''}: outlined.`;
}

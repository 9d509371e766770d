// The line above the picture: what it shows (the session, tasks and boxes), whether the program has run
// on since, the runtime's notes, and how many problems are outlined.
import type { PictureState } from '../messages';
import { problemsNote } from './problemMarks';

/** The status line: the session, how many tasks in how many boxes, staleness, notes and problems. */
export function describeStatus(
  statusLine: HTMLElement,
  shown: Extract<PictureState, { kind: 'graph' }>,
): void {
  statusLine.replaceChildren();
  const title = document.createElement('span');
  title.className = 'title';
  const boxes = shown.graph.nodes.length;
  title.textContent = `${shown.sessionName}: ${shown.graph.totalTasks.toLocaleString('en')} tasks in ${boxes} boxes`;
  statusLine.append(title);
  if (shown.stale) {
    const stale = document.createElement('span');
    stale.className = 'staleNote';
    stale.textContent = ` · the program ran on: this is the snapshot of ${new Date(shown.takenAt).toLocaleTimeString()}`;
    statusLine.append(stale);
  }
  for (const note of shown.notes) {
    const line = document.createElement('div');
    line.textContent = note;
    statusLine.append(line);
  }
  if (shown.problems.length) {
    const line = document.createElement('div');
    line.className = 'problemsNote';
    line.textContent = problemsNote(shown.problems);
    statusLine.append(line);
  }
}

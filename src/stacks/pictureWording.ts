// Every sentence the Async Stacks panel says about what it shows or why it shows nothing, in one place.
import type { Runtime } from '../snapshot/format';
import type { SessionEntry } from './chooseSession';
import type { StackGraph } from './stackGraph';

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count.toLocaleString('en')} ${count === 1 ? one : many}`;

export const NO_SESSION = {
  title: 'No debug session',
  detail:
    'Start debugging a Node.js or Python program and pause it: Async Stacks draws every pending task, merged by stack.',
};

export function ambiguousSessions(names: readonly string[]) {
  return {
    title: 'Several debug sessions',
    detail: `Select one in the Call Stack view to draw its tasks: ${names.map((name) => `“${name}”`).join(', ')}.`,
  };
}

export function noSnapshot(session: SessionEntry) {
  if (session.error) return { title: `No snapshot of “${session.name}”`, detail: session.error };
  if (session.capturing) return { title: `Taking a snapshot of “${session.name}”…`, detail: '' };
  return {
    title: `No snapshot of “${session.name}” yet`,
    detail:
      'Pause the program (a breakpoint, `debugger;` or `breakpoint()`): the Async Tasks view takes a snapshot at each stop.',
  };
}

/** The snapshot has nothing to draw: no pending task has a frame. */
export function noStacks(session: SessionEntry, runtime: Runtime, graph: StackGraph) {
  if (graph.totalTasks === 0)
    return {
      title: `No pending tasks in “${session.name}”`,
      detail: 'The snapshot lists no pending or running task.',
    };
  const why =
    runtime === 'node'
      ? 'Stacks come from the Async Toolkit agent: check that `asyncToolkit.node.injectAgent` is on and `asyncToolkit.node.creationStacks` is not `off`, and restart the program.'
      : 'Python tasks that have not started yet have no frames.';
  return {
    title: `The snapshot of “${session.name}” has no stacks`,
    detail: `${plural(graph.totalTasks, 'pending task')}, none with a stack. ${why}`,
  };
}

/** Lines under the toolbar: what the stacks mean and what the picture leaves out. */
export function pictureNotes(graph: StackGraph): string[] {
  const notes = [
    graph.stackKind === 'creation'
      ? 'Stacks show where each task was created (the Node.js agent records creation stacks), not where it waits now.'
      : graph.stackKind === 'suspended'
        ? 'Stacks show where each task is suspended now, caller above callee.'
        : 'Stacks show where tasks are suspended now, or where they were created where that is all the runtime knows.',
  ];
  if (graph.truncated)
    notes.push(
      `The program sent ${plural(graph.truncated.sentTasks, 'task')} of ${graph.truncated.totalTasks.toLocaleString('en')}: counts are of the tasks sent.`,
    );
  if (graph.withoutStack) notes.push(`${plural(graph.withoutStack, 'task')} without a stack not drawn.`);
  return notes;
}

// Programs the tests start run in a process group of their own (`spawn(…, { detached: true })`), so that
// a program and everything it started (a server's worker processes, the program behind an npm wrapper,
// code-server's file watcher) are signalled together: signalling the leader alone leaves its children
// running, and they keep ports, files and the test run itself alive.
import type { ChildProcess } from 'node:child_process';

/**
 * Sends `signal` to the whole process group that `child` leads (it must have been spawned detached).
 * Returns false when there is nothing left to signal: never started, or every member already gone.
 */
export function killProcessGroup(
  child: ChildProcess | number | undefined,
  signal: NodeJS.Signals = 'SIGKILL',
): boolean {
  const pid = typeof child === 'number' ? child : child?.pid;
  if (!pid) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

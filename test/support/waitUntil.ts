// Waiting for something the test cannot be told about (a port that opens, a file that appears, an
// editor that settles), by asking again at a short interval until it holds or time runs out.
// Where an event says when to look again (the Async Tasks view's onDidChange), wait for the event instead.

export interface WaitOptions {
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** Pause between two attempts (default 100 ms). */
  intervalMs?: number;
}

/**
 * Calls `probe` until it returns something other than `undefined` or `false`, and resolves with that.
 * Rejects with "timed out … waiting for <what>" once `timeoutMs` has passed, and at once with anything
 * `probe` throws: a probe that expects failures (a refused connection) catches them and returns undefined;
 * one that should stop early (the program it waits for has exited) throws.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => T | Promise<T>,
  { timeoutMs = 30_000, intervalMs = 100 }: WaitOptions = {},
): Promise<Exclude<T, undefined | false>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as Exclude<T, undefined | false>;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

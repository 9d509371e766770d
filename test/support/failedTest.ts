// What a test layer records of a failed test, so that `npm test` can list the failures at the very end
// of its output (CI shows only the tail of a long log): the full title and the first lines of the error.
// Shared by the plain-Node mocha runner (scripts/run-mocha.mjs) and the extension host's
// (test/integration/index.ts).

export interface FailedTest {
  title: string;
  error: string;
}

export function failedTestOf(test: { fullTitle(): string }, error: unknown): FailedTest {
  const message = String((error as Error | undefined)?.message ?? error);
  return {
    title: test.fullTitle(),
    error: message.split('\n').filter(Boolean).slice(0, 3).join(' '),
  };
}

// The supported Node majors, and a mocha `describe` per major for the agent's tests (binaries from
// test/support/nodeBinary.ts, the one installer's front).
import { nodeBinary } from '../../support/nodeBinary';

export { nodeBinary };

export const SUPPORTED_MAJORS = [18, 20, 22, 24, 26];

/**
 * One mocha `describe` per supported major ("Node 24"), its binary installed before the tests run;
 * `node()` gives the binary's path inside them.
 */
export function describeOnEveryMajor(body: (major: number, node: () => string) => void): void {
  for (const major of SUPPORTED_MAJORS) {
    describe(`Node ${major}`, () => {
      let binary = '';
      before(function () {
        this.timeout(180_000);
        binary = nodeBinary(major);
      });
      body(major, () => binary);
    });
  }
}

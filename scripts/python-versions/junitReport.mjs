// Reads pytest's JUnit XML report: every test case with its outcome, so that a runner can count them,
// name the failures and sort them into the columns of the version table. pytest writes one attribute
// set per <testcase> and at most one <failure>, <error> or <skipped> child; a regular expression reads
// that much XML without a parser dependency.
import { existsSync, readFileSync } from 'node:fs';

/** @typedef {{ file: string, name: string, outcome: 'passed' | 'failed' | 'skipped', message: string }} TestCase */

const entities = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&amp;': '&' };
const decodeEntities = (text) => text.replace(/&(lt|gt|quot|apos|amp);/g, (entity) => entities[entity]);

function attribute(attributes, key) {
  const match = new RegExp(`\\b${key}="([^"]*)"`).exec(attributes);
  return match ? decodeEntities(match[1]) : '';
}

/** The test cases of a report; an empty list when the report is missing (pytest crashed). */
export function readJunitReport(path) {
  if (!existsSync(path)) return [];
  const xml = readFileSync(path, 'utf8');
  /** @type {TestCase[]} */
  const cases = [];
  for (const match of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const [, attributes, , body = ''] = match;
    // classname is the module's dotted path ("test.python.test_probe_trio"): its last part is the file.
    const file = `${attribute(attributes, 'classname').split('.').pop()}.py`;
    const outcomeMatch = /<(failure|error|skipped)\b([^>]*)/.exec(body);
    const outcome = !outcomeMatch ? 'passed' : outcomeMatch[1] === 'skipped' ? 'skipped' : 'failed';
    const message = outcomeMatch ? attribute(outcomeMatch[2], 'message') : '';
    cases.push({ file, name: attribute(attributes, 'name'), outcome, message });
  }
  return cases;
}

/** `{ passed, failed, skipped, failedTests }` as the test layers record them. */
export function countCases(cases, titlePrefix = '') {
  const failedTests = cases
    .filter((testCase) => testCase.outcome === 'failed')
    .map((testCase) => ({
      title: `${titlePrefix}${testCase.file}::${testCase.name}`,
      error: testCase.message.split('\n').filter(Boolean).slice(0, 3).join(' '),
    }));
  return {
    passed: cases.filter((testCase) => testCase.outcome === 'passed').length,
    failed: failedTests.length,
    skipped: cases.filter((testCase) => testCase.outcome === 'skipped').length,
    failedTests,
  };
}

// `node:test` with a failing deep comparison whose diff shows async ids (an AsyncResource's
// `async_id_symbol` and `trigger_async_id_symbol`), reported through a reporter that prints no
// durations. Issue 13, finding 7: on Node 24 and 26 the ids are one higher with the agent in every mode.

const test = require('node:test');
const assert = require('node:assert');
const { AsyncResource } = require('node:async_hooks');

test('a resource made after an await', async () => {
  await null;
  await new Promise((resolve) => setImmediate(resolve));
  const resource = new AsyncResource('GuestResource');
  assert.deepStrictEqual(resource, {});
});

test('passes', () => {
  assert.equal(1, 1);
});

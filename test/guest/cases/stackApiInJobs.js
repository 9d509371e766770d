// A program with its own stack formatter and a short stack limit that makes `new Promise`, calls async
// functions and `Promise.all` inside promise jobs — where the agent's default mode now captures stacks
// (operations, issue 12) — and inside executors reads the stack API and formats its own errors. The
// agent's captures must never call the program's formatter, and never let it see the agent's formatter
// or limit. Prints what the program saw.

let formatterCalls = 0;
function formatter(error, sites) {
  formatterCalls += 1;
  return `${error.message} @ ${sites.map((site) => site.getFunctionName() ?? '?').join(' < ')}`;
}
Error.prepareStackTrace = formatter;
Error.stackTraceLimit = 3;

const seen = [];
function look(where) {
  const ownFormatter = Error.prepareStackTrace === formatter;
  seen.push(`${where}: own formatter ${ownFormatter}, limit ${Error.stackTraceLimit}`);
}

function delayed(value) {
  return new Promise((resolve) => {
    look('executor');
    setImmediate(resolve, value);
  });
}

async function inner(value) {
  await null;
  const made = await delayed(value);
  return made + 1;
}

async function outer() {
  await null;
  const values = await Promise.all([inner(1), inner(2), delayed(3)]);
  look('after Promise.all');
  const error = new Error('made in a job');
  return `${values.join(',')} | ${error.stack}`;
}

outer().then((result) => {
  globalThis.__asyncToolkit?.snapshotJson();
  console.log(result);
  console.log([...new Set(seen)].join('\n'));
  console.log(`formatter calls: ${formatterCalls}`);
});

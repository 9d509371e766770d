// A service that never becomes ready: two start-up steps wait for each other.
//
// The database layer waits for the cache to be warm before it accepts queries, and the cache warms up
// by querying the database: each start-up step awaits the other's promise, and neither ever finishes.
// Start "Node: deadlock", let it pause at `debugger;`, and open the Async Tasks view: Problems says
// "startDatabase" and "warmCache" await each other, naming the line where each waits; each operation
// says it waits on `operation "…"`. Requests meanwhile pile up behind the start-up that never ends.

const http = require('node:http');

/** The start-up steps, by name: what requests wait for. */
const startup = {};

async function loadSettings() {
  await new Promise((resolve) => setTimeout(resolve, 10));
  return { cacheSize: 100 };
}

async function startDatabase() {
  const settings = await loadSettings();
  // Bug: the database waits for a warm cache before it takes queries...
  await startup.cache;
  return { settings, query: async (sql) => `rows for ${sql}` };
}

async function warmCache() {
  await new Promise((resolve) => setTimeout(resolve, 5));
  // ...and the cache warms up by querying the database.
  const database = await startup.database;
  return new Map([['warm', await database.query('select 1')]]);
}

startup.database = startDatabase();
startup.cache = warmCache();

const server = http.createServer(async (_request, response) => {
  const database = await startup.database;
  response.end(await database.query('select now()'));
});

server.listen(0, '127.0.0.1', () => {
  console.log(`service on http://127.0.0.1:${server.address().port} (never ready)`);
  const ticker = setInterval(() => {
    // Look now: Problems names the two start-up steps that wait for each other.
    debugger;
  }, 500);
  // Stop by itself after a while so a forgotten demo does not run forever.
  setTimeout(() => {
    clearInterval(ticker);
    server.close();
    process.exit(0);
  }, 120_000).unref();
});

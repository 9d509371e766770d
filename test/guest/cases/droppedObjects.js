// Memory: objects the program dropped must be collected with the agent as without it. Jobs (each
// holding a 64 KiB buffer) run async methods, arm timers and leave one long-lived promise each in a
// cache; a loopback HTTP server answers requests whose handlers hold buffers. Then the program drops
// the jobs, the requests and the server, collects garbage (`--expose-gc`) and counts, through WeakRefs,
// what is still alive. Issue 13, finding 3: V8 call sites captured with creation stacks kept their
// receivers and closures (the jobs, the request buffers) until a snapshot formatted them, and on
// Node 24 the last 4 096 resource records were held strongly.

const http = require('node:http');

const cache = [];
const jobs = [];
const requestBuffers = [];

class Job {
  constructor(id) {
    this.id = id;
    this.payload = Buffer.alloc(64 * 1024, id % 256);
  }
  async run() {
    await new Promise((resolve) => setTimeout(resolve, 1));
    // Made inside the job's promise job: its record links to the job's context.
    cache.push(new Promise(() => {}));
    await null;
    return this.payload.length;
  }
}

function get(port, path) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
        response.resume();
        response.on('end', resolve);
      })
      .on('error', reject);
  });
}

async function collect() {
  for (let i = 0; i < 6; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    globalThis.gc();
  }
}

/** Starts the jobs; only WeakRefs to them outlive this function. */
function startJobs(jobRefs) {
  for (let i = 0; i < 200; i++) {
    const job = new Job(i);
    jobRefs.push(new WeakRef(job));
    jobs.push(job.run());
  }
}

async function main() {
  const jobRefs = [];
  startJobs(jobRefs);
  await Promise.all(jobs);
  jobs.length = 0;

  const bufferRefs = [];
  const server = http.createServer(async (_request, response) => {
    const buffer = Buffer.alloc(32 * 1024, 1);
    bufferRefs.push(new WeakRef(buffer));
    await new Promise((resolve) => setImmediate(resolve));
    cache.push(new Promise(() => {}));
    response.end(String(buffer.length));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  for (let i = 0; i < 100; i++) await get(port, `/${i}`);
  await new Promise((resolve) => server.close(resolve));
  requestBuffers.length = 0;

  globalThis.__asyncToolkit?.snapshotJson();
  await collect();
  const jobsAlive = jobRefs.filter((ref) => ref.deref() !== undefined).length;
  const buffersAlive = bufferRefs.filter((ref) => ref.deref() !== undefined).length;
  console.log(`jobs alive after GC: ${jobsAlive} of ${jobRefs.length}`);
  console.log(`request buffers alive after GC: ${buffersAlive} of ${bufferRefs.length}`);
  console.log(`cached promises: ${cache.length}`);
}

main();

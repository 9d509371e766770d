#!/usr/bin/env node
// `npm start`: the extension running in a real VS Code (code-server) with the demo workspace.
//   npm start [-- --port N] [-- --host ADDRESS --allow-remote]
// Serves on 127.0.0.1 without a password. Binding to any other address needs --allow-remote and
// then requires the password it prints. Ctrl+C (or SIGTERM) stops everything it started.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exitWithUsage, readCommandLine } from './lib/commandLine.mjs';

const usage = 'node scripts/start.mjs [--port N] [--host ADDRESS --allow-remote]';
const { values } = readCommandLine({
  usage,
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    'allow-remote': { type: 'boolean' },
  },
});
const root = resolve(new URL('..', import.meta.url).pathname);
const host = values.host;
const port = values.port === undefined ? undefined : Number(values.port);
const loopback = host === '127.0.0.1' || host === 'localhost' || host === '::1';
if (!loopback && !values['allow-remote']) {
  console.error(
    `Refusing to serve VS Code on ${host}: anyone who reaches it can run code on this machine.\n` +
      'Pass --allow-remote as well to do it anyway (a password is then required).',
  );
  process.exit(2);
}
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
  exitWithUsage(usage, `--port must be a TCP port number, got "${values.port}"`);
}
// Loaded after the checks above: the test host loads the compiled test support, which needs a build.
const { startCodeServer, workbenchUrl } = await import('./test-host/codeServer.mjs');
const { ensureNode } = await import('./test-host/nodeBinaries.mjs');

const stateDir = mkdtempSync(join(tmpdir(), 'async-toolkit-start-'));
// The demo's Python configurations need the `debugpy` and `python` debug types. Users have the Python
// Debugger extension for those; offline we install the same test-only adapter the integration tests use.
cpSync(
  join(root, 'test', 'fixtures', 'debugpy-extension'),
  join(stateDir, 'extensions', 'async-toolkit-tests.test-debugpy-0.0.1'),
  { recursive: true },
);
const password = loopback ? undefined : randomBytes(12).toString('base64url');

let server;
let stopping;
function stop(signal) {
  // npm forwards the terminal's signal and the group receives it too: the second one must be a no-op.
  if (stopping) return;
  stopping = (async () => {
    if (signal) console.log(`\n${signal}: stopping code-server…`);
    await server?.stop();
    rmSync(stateDir, { recursive: true, force: true });
    process.exit(0);
  })();
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

try {
  server = await startCodeServer({
    stateDir,
    // The demo's "Node 24" configuration runs on this Node (its runtimeExecutable is
    // ${env:ASYNC_TOOLKIT_NODE24}): there the agent also records where timers, sockets and servers
    // were created. The other Node configuration runs on the `node` on PATH.
    env: { ASYNC_TOOLKIT_NODE24: ensureNode(24) },
    host,
    port,
    auth: password ? { password } : undefined,
    log: (line) => {
      if (/error/i.test(line) && !/ENOTFOUND|open-vsx|vsda/.test(line))
        console.error(`[code-server] ${line}`);
    },
  });
} catch (error) {
  console.error(`Could not start code-server: ${error.message}`);
  rmSync(stateDir, { recursive: true, force: true });
  process.exit(1);
}
const url = workbenchUrl(server, { folder: join(root, 'demo'), extensionDevelopmentPaths: [root] });
console.log(`
Async Toolkit is running in VS Code (code-server ${server.url}).
Open this address in a browser:

  ${url}
${password ? `\nPassword: ${password}\n` : ''}
Then: Run and Debug → pick a demo configuration → the Async Tasks view shows its tasks.
After \`npm run build\` (or with \`npm run watch\`), reload the page to load the new build.
Press Ctrl+C to stop.`);

// A real VS Code, offline: code-server bundles the VS Code server, the workbench and the built-in
// extensions (js-debug among them). It runs on Node 24 only, so it gets its own Node from the npm
// registry. Both are installed once into the cache, outside the clone.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testSupport } from '../lib/testSupport.mjs';
import { cacheDir } from './cache.mjs';
import { ensureNode, nodeHome } from './nodeBinaries.mjs';

const { killProcessGroup } = testSupport('processGroup');
const { unusedPort } = testSupport('loopbackPorts');
const { waitUntil } = testSupport('waitUntil');

export const CODE_SERVER_VERSION = '4.139.1';
const installDir = join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
const entryPoint = join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** Installs code-server on first use (≈ 2 minutes, ≈ 600 MB) and returns its entry script. */
export function ensureCodeServer() {
  if (existsSync(entryPoint)) return entryPoint;
  const node = ensureNode(24);
  mkdirSync(installDir, { recursive: true });
  // npm 11 wants install-script approval recorded in the project; code-server's postinstall builds
  // native modules (argon2, kerberos) against Node 24's headers.
  writeFileSync(
    join(installDir, 'package.json'),
    JSON.stringify({ private: true, allowScripts: { 'code-server': true, argon2: true, kerberos: true } }),
  );
  console.error(
    `[code-server] installing code-server@${CODE_SERVER_VERSION} into ${installDir} (first run only)`,
  );
  // code-server's postinstall reads the Node version from npm's user agent. Under `npm test` the outer
  // npm (run by the system's Node) has set `npm_config_user_agent`, which the inner npm would take as
  // its own configuration and report the wrong Node: the install refuses. Drop it so that the inner npm
  // describes itself.
  const { npm_config_user_agent: _outerUserAgent, ...environment } = process.env;
  execFileSync('npm', ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: installDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...environment,
      PATH: `${join(node, '..')}:${process.env.PATH}`,
      npm_config_nodedir: nodeHome(24),
    },
  });
  if (!existsSync(entryPoint)) throw new Error(`code-server did not install: ${entryPoint} is missing`);
  return entryPoint;
}

/** Installs a .vsix into the extensions folder of `stateDir`, as `code --install-extension` does. */
export function installExtension(stateDir, vsix) {
  const entry = ensureCodeServer();
  execFileSync(
    ensureNode(24),
    [
      entry,
      '--user-data-dir',
      join(stateDir, 'user-data'),
      '--extensions-dir',
      join(stateDir, 'extensions'),
      '--install-extension',
      vsix,
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        XDG_CONFIG_HOME: join(stateDir, 'config'),
        XDG_DATA_HOME: join(stateDir, 'data'),
      },
    },
  );
}

/** Resolves once code-server answers its health check; rejects at once if it exits first. */
async function waitUntilHealthy(url, child, timeoutMs) {
  await waitUntil(
    `code-server to answer ${url}/healthz`,
    async () => {
      if (child.exitCode !== null) throw new Error(`code-server exited early with status ${child.exitCode}`);
      const response = await fetch(`${url}/healthz`).catch(() => undefined); // not listening yet
      return response?.ok;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

/**
 * Starts code-server in its own process group on 127.0.0.1.
 * @param {{ stateDir: string, host?: string, port?: number, auth?: { password: string }, untrusted?: boolean, env?: Record<string,string>, log?: (line: string) => void }} options
 *   stateDir holds user data, extensions, config and sockets so nothing lands in the home folder.
 *   untrusted: workspace trust on and the opened folder left untrusted (Restricted Mode); off by default so
 *   that trust prompts do not cover the workbench.
 * @returns {Promise<{ url: string, port: number, userDataDir: string, stop: () => Promise<void> }>}
 */
export async function startCodeServer({
  stateDir,
  host = '127.0.0.1',
  port,
  auth,
  untrusted = false,
  env = {},
  log = () => {},
}) {
  const entry = ensureCodeServer();
  const node = ensureNode(24);
  const listenPort = port ?? (await unusedPort());
  const userDataDir = join(stateDir, 'user-data');
  const extensionsDir = join(stateDir, 'extensions');
  const tmp = join(stateDir, 'tmp');
  for (const dir of [userDataDir, extensionsDir, tmp, join(stateDir, 'config'), join(stateDir, 'data')]) {
    mkdirSync(dir, { recursive: true });
  }
  // Untrusted-workspace prompts and first-run tours would cover the workbench in every test.
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'security.workspace.trust.enabled': untrusted,
        // With trust on: no modal prompt at start-up, the folder simply opens in Restricted Mode.
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.emptyWindow': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'window.commandCenter': false,
        'chat.disableAIFeatures': true,
        'workbench.colorTheme': 'Default Dark Modern',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
      },
      null,
      2,
    ),
  );
  const configFile = join(stateDir, 'config', 'config.yaml');
  writeFileSync(
    configFile,
    `bind-addr: ${host}:${listenPort}\nauth: ${auth ? 'password' : 'none'}\ncert: false\n`,
  );
  const args = [
    entry,
    '--config',
    configFile,
    '--bind-addr',
    `${host}:${listenPort}`,
    '--auth',
    auth ? 'password' : 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(untrusted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    // Required: without it the workbench ignores the test payload in the URL.
    '--vscode-option',
    'enable-smoke-test-driver',
    // Keeps the extension host's PATH as given, so debuggees run on the Node we chose.
    '--vscode-option',
    'force-disable-user-env',
  ];
  const child = spawn(node, args, {
    detached: true, // its own process group: it has children (file watcher, agent host) to end with it
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      XDG_CONFIG_HOME: join(stateDir, 'config'),
      XDG_DATA_HOME: join(stateDir, 'data'),
      TMPDIR: tmp,
      ...(auth ? { PASSWORD: auth.password } : {}),
      ...env,
    },
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      for (const line of chunk.split('\n')) if (line.trim()) log(line);
    });
  }
  const url = `http://${host}:${listenPort}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (!killProcessGroup(child, 'SIGTERM')) return; // already gone
    const timer = setTimeout(() => killProcessGroup(child, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    // Children that outlive the main process share its group.
    killProcessGroup(child, 'SIGKILL');
  };
  try {
    await waitUntilHealthy(url, child, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port: listenPort, userDataDir, extensionsDir, stop };
}

/** The workbench address that opens `folder` and, when given, runs extension tests. */
export function workbenchUrl(server, { folder, extensionDevelopmentPaths = [], extensionTestsPath }) {
  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = [
    ...extensionDevelopmentPaths.map((path) => ['extensionDevelopmentPath', remote(path)]),
    ...(extensionTestsPath ? [['extensionTestsPath', remote(extensionTestsPath)]] : []),
  ];
  const query = new URLSearchParams();
  if (folder) query.set('folder', folder);
  if (payload.length) query.set('payload', JSON.stringify(payload));
  return `${server.url}/?${query.toString()}`;
}

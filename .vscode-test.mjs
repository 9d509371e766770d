// For contributors with internet access: the same integration suites on desktop VS Code, downloaded by
// @vscode/test-electron (`npx vscode-test` after `npm run build`). The default runner, which works
// offline, is scripts/test-host/runIntegration.mjs on code-server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@vscode/test-cli';

const root = import.meta.dirname;

export default defineConfig({
  label: 'integration',
  files: 'out/test/integration/*.test.js',
  version: 'stable',
  workspaceFolder: mkdtempSync(join(tmpdir(), 'async-toolkit-workspace-')),
  extensionDevelopmentPath: [root, join(root, 'test', 'fixtures', 'debugpy-extension')],
  env: { ASYNC_TOOLKIT_REPO: root },
  mocha: { ui: 'bdd', timeout: 60_000 },
});

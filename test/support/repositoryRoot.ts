// The repository's root folder, for tests that read its files (fixtures, demo/, dist/, scripts/).
// Found from this module's own place, not from the working directory or the environment: compiled, it is
// out/test/support/repositoryRoot.js in every layer (plain Node, mocha inside the extension host, e2e).
import { resolve } from 'node:path';

export const repositoryRoot = resolve(__dirname, '..', '..', '..');

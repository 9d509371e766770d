// The helpers the scripts share with the tests (process groups, waiting, loopback ports, the Python
// interpreter, the record of a failed test) have one source: TypeScript in test/support/, compiled to
// out/test/support/ by scripts/build.mjs. Scripts that need them run after a build (`npm start`,
// `npm test` and `npm run bench` build first), so they load the compiled modules from there. (The other
// way round does not work: the tests compile to CommonJS, which on Node 20 cannot load an ES module
// synchronously, and a kill in an exit handler or a mocha hook must be synchronous.)
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const compiledFolder = new URL('../../out/test/support/', import.meta.url).pathname;
const require = createRequire(import.meta.url);

/** The compiled test/support/<name>.ts; throws a message saying to build first when it is missing. */
export function testSupport(name) {
  const path = `${compiledFolder}${name}.js`;
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first`);
  return require(path);
}

// A library's classes, found where Node keeps the CommonJS modules it has loaded (`require.cache`, the
// object Node's loader fills; an ES module importing a CommonJS package fills it too — checked on Node
// 18–26 with p-queue importing eventemitter3). Read as data: no getter of the program's, no proxy, no
// `require` (which would load, and so run, a module the program never loaded). A bundled program, whose
// libraries are not modules of their own, has none to find.

import { endsWith, isProxy, ReflectGetOwnPropertyDescriptor, ReflectOwnKeys } from './intrinsics';
import { readProperty } from './nativeReads';

/** Node's cache of loaded modules, by file name, as it was when the agent loaded. */
const moduleCache: object | undefined = (() => {
  try {
    const cache = ReflectGetOwnPropertyDescriptor(require, 'cache')?.value;
    return typeof cache === 'object' && cache !== null && !isProxy(cache) ? cache : undefined;
  } catch {
    return undefined;
  }
})();

/**
 * The `prototype` of the class each loaded copy of a package's file exports (`module.exports = Pool`, or
 * as `exportName`: `exports.default = Redis` in TypeScript's output). `file` is the path inside the
 * package, with `/`.
 */
export function exportedPrototypes(packageName: string, file: string, exportName?: string): object[] {
  if (moduleCache === undefined) return [];
  const found: object[] = [];
  try {
    const unix = `/node_modules/${packageName}/${file}`;
    const windows = `\\node_modules\\${packageName}\\${file.split('/').join('\\')}`;
    const names = ReflectOwnKeys(moduleCache);
    for (let index = 0; index < names.length; index++) {
      const filename = names[index];
      if (typeof filename !== 'string' || !(endsWith(filename, unix) || endsWith(filename, windows)))
        continue;
      const module = ReflectGetOwnPropertyDescriptor(moduleCache, filename)?.value;
      const exported = readProperty(module, 'exports');
      const exportedClass = exportName === undefined ? exported : readProperty(exported, exportName);
      if (typeof exportedClass !== 'function' || isProxy(exportedClass)) continue;
      const prototype = ReflectGetOwnPropertyDescriptor(exportedClass, 'prototype')?.value;
      if (typeof prototype === 'object' && prototype !== null && !found.includes(prototype))
        found.push(prototype);
    }
  } catch {}
  return found;
}

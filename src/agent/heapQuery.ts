// Finds live objects by prototype at snapshot time, through an in-process inspector session
// (`Runtime.queryObjects`). This is what lets the agent keep no registry of pending promises: the heap
// is the registry. The query forces a full garbage collection first, so promises the program dropped
// are gone before they are counted. In-process sessions answer synchronously, and they also answer
// while another debugger (js-debug) holds the program paused at a breakpoint and evaluates the
// snapshot on the paused frame (verified: test/unit/agent/pausedSnapshot.test.ts).

import type * as inspectorModule from 'node:inspector';
import { types } from 'node:util';

const { isProxy } = types;

type InspectorModule = typeof inspectorModule;

let inspectorApi: InspectorModule | null | undefined;

function loadInspector(): InspectorModule | null {
  if (inspectorApi === undefined) {
    try {
      // Node can be built without the inspector; then the snapshot reports only what it can.
      inspectorApi = require('node:inspector') as InspectorModule;
      if (typeof inspectorApi.Session !== 'function') inspectorApi = null;
    } catch {
      inspectorApi = null;
    }
  }
  return inspectorApi;
}

export function heapQueryAvailable(): boolean {
  return loadInspector() !== null;
}

/**
 * Whether the inspector is open (a debugger such as js-debug can be attached). Asked once per governor
 * window: under a debugger every hook call costs far more (see promiseRateGovernor.ts).
 */
export function inspectorOpen(): boolean {
  try {
    return loadInspector()?.url() !== undefined;
  } catch {
    return false;
  }
}

/** The global through which the inspector hands the found array back to JavaScript, for one moment. */
const HANDOFF = '__asyncToolkitHeapQuery';

/**
 * Every live object whose prototype chain contains one of `prototypes`, per prototype.
 * Throws an Error saying why when the inspector cannot be used.
 *
 * One heap walk whatever the number of prototypes: a walk costs about the same whichever prototype it
 * looks for (≈ 400 ms on a heap holding 100 000 pending promises, against ≈ 25 ms for a full GC), so
 * two prototypes are found by walking once for `Object.prototype` and sorting what came back here.
 */
export function queryObjects(prototypes: object[]): object[][] {
  if (prototypes.length <= 1) return prototypes.map((prototype) => walkHeapFor(prototype));
  const everything = walkHeapFor(Object.prototype);
  const results: object[][] = prototypes.map(() => []);
  for (const object of everything) {
    const index = prototypeIndex(object, prototypes);
    if (index !== -1) results[index].push(object);
  }
  return results;
}

/** How far up a chain to look: promises and timers sit one or two steps below what is asked for. */
const MAX_CHAIN = 16;

/**
 * Which of `prototypes` is on the object's chain, walked without running the program's code: a proxy
 * (whose `getPrototypeOf` trap would run) ends the walk.
 */
function prototypeIndex(object: object, prototypes: object[]): number {
  let current: object | null = object;
  for (let depth = 0; depth < MAX_CHAIN && current !== null; depth++) {
    if (isProxy(current)) return -1;
    current = Reflect.getPrototypeOf(current);
    if (current === null) return -1;
    const index = prototypes.indexOf(current);
    if (index !== -1) return index;
  }
  return -1;
}

function walkHeapFor(prototype: object): object[] {
  const inspector = loadInspector();
  if (!inspector) throw new Error('this Node.js has no inspector module; pending promises cannot be listed');
  const session = new inspector.Session();
  session.connect();
  const globals = globalThis as Record<string, unknown>;
  try {
    globals[HANDOFF] = prototype;
    const prototypeId = post(session, 'Runtime.evaluate', {
      expression: `globalThis.${HANDOFF}`,
      objectGroup: 'q',
    });
    const prototypeObjectId = (prototypeId as { result: { objectId?: string } }).result.objectId;
    if (!prototypeObjectId) throw new Error('the inspector did not return the prototype');
    const found = post(session, 'Runtime.queryObjects', { prototypeObjectId, objectGroup: 'q' });
    const arrayId = (found as { objects: { objectId?: string } }).objects.objectId;
    if (!arrayId) throw new Error('the inspector returned no objects');
    globals[HANDOFF] = undefined;
    post(session, 'Runtime.callFunctionOn', {
      objectId: arrayId,
      functionDeclaration: `function () { globalThis.${HANDOFF} = this; }`,
      silent: true,
    });
    const array = globals[HANDOFF];
    post(session, 'Runtime.releaseObjectGroup', { objectGroup: 'q' });
    return Array.isArray(array) ? (array as object[]) : [];
  } finally {
    delete globals[HANDOFF];
    session.disconnect();
  }
}

/** In-process sessions call back before `post` returns; anything else is reported, not waited for. */
function post(session: inspectorModule.Session, method: string, params: object): unknown {
  let answered = false;
  let failure: Error | null = null;
  let result: unknown;
  session.post(method, params, (error, value) => {
    answered = true;
    failure = error ?? null;
    result = value;
  });
  if (!answered) throw new Error(`the inspector did not answer ${method} synchronously`);
  if (failure) throw new Error(`inspector ${method} failed: ${(failure as Error).message}`);
  return result;
}

// What the agent asks V8's inspector at snapshot time, through one in-process session: the live objects
// of given prototypes (`Runtime.queryObjects`, which lets the agent keep no registry of pending
// promises: the heap is the registry, and the query's full collection drops what the program dropped),
// and the state of promises whose state the hooks did not follow (`Runtime.getProperties`, the internal
// `[[PromiseState]]`). Neither runs the program's code, unlike `util.inspect`, which reads a promise's
// `Symbol.toStringTag` and formats its result. In-process sessions answer synchronously, also while
// js-debug holds the program paused at a breakpoint (test/unit/agent/pausedSnapshot.test.ts).
//
// Each inspector query connects a session of its own and disconnects it afterwards, so that nothing of
// the inspector stays attached between snapshots (a session is no async resource: it takes no async id).
//
// Objects cross between the agent and the inspector through `handOff` (on the agent's global API, see
// index.ts), never through a global of the program's.

import type * as inspectorModule from 'node:inspector';
import {
  globalObject,
  NativeError,
  NativePromisePrototype,
  ReflectDefineProperty,
  ReflectDeleteProperty,
  ReflectGetOwnPropertyDescriptor,
  ReflectGetPrototypeOf,
  SafeMap,
} from './intrinsics';
import { inheritsFrom, instancesAmong } from './nativeReads';

type InspectorModule = typeof inspectorModule;

const inspectorApi: InspectorModule | null = (() => {
  try {
    // Node can be built without the inspector; then the snapshot reports only what it can.
    const module = require('node:inspector') as InspectorModule;
    return typeof module.Session === 'function' ? module : null;
  } catch {
    return null;
  }
})();
const inspectorUrl = inspectorApi?.url;

export function heapQueryAvailable(): boolean {
  return inspectorApi !== null;
}

/**
 * Whether the inspector is open (a debugger such as js-debug can be attached). Asked once per governor
 * window: under a debugger every hook call costs far more (see promiseRateGovernor.ts).
 */
export function inspectorOpen(): boolean {
  try {
    return inspectorUrl?.() !== undefined;
  } catch {
    return false;
  }
}

/** The one object the inspector fetches from the agent (`handOff()`) and what it hands back (`handOff(x)`). */
let outgoing: unknown;
let incoming: unknown;

export function handOff(...received: unknown[]): unknown {
  if (received.length > 0) {
    incoming = received[0];
    return undefined;
  }
  return outgoing;
}

/** Where the inspector finds `handOff`: the agent's global, under this property. */
export const HAND_OFF_PROPERTY = 'heapQueryHandOff';
const AGENT_GLOBAL = '__asyncToolkit';

/** The session of the snapshot being taken. */
let session: inspectorModule.Session | undefined;

function connectedSession(): inspectorModule.Session {
  if (session === undefined) throw new Error('no inspector session');
  return session;
}

/** In-process sessions call back before `post` returns; anything else is reported, not waited for. */
function post(method: string, params: object): Record<string, unknown> {
  let answered = false;
  let failure: Error | null = null;
  let result: unknown;
  connectedSession().post(method, params, (error, value) => {
    answered = true;
    failure = error ?? null;
    result = value;
  });
  if (!answered) throw new Error(`the inspector did not answer ${method} synchronously`);
  if (failure) throw new Error(`inspector ${method} failed: ${(failure as Error).message}`);
  return result as Record<string, unknown>;
}

const GROUP = 'asyncToolkit';

/** Runs `body` with an object group that is released afterwards, whatever happens. */
function withObjectGroup<T>(body: (agentId: string) => T): T {
  if (!inspectorApi)
    throw new Error('this Node.js has no inspector module; pending promises cannot be listed');
  const own = new inspectorApi.Session();
  own.connect();
  session = own;
  try {
    const agent = post('Runtime.evaluate', { expression: AGENT_GLOBAL, objectGroup: GROUP });
    const agentId = (agent.result as { objectId?: string } | undefined)?.objectId;
    if (!agentId) throw new Error('the inspector could not reach the agent');
    return body(agentId);
  } finally {
    outgoing = undefined;
    incoming = undefined;
    try {
      post('Runtime.releaseObjectGroup', { objectGroup: GROUP });
    } catch {}
    session = undefined;
    own.disconnect();
  }
}

/** The inspector's id for an object of the agent's. */
function remoteIdOf(agentId: string, object: object): string {
  outgoing = object;
  const answer = post('Runtime.callFunctionOn', {
    objectId: agentId,
    functionDeclaration: `function () { return this.${HAND_OFF_PROPERTY}(); }`,
    objectGroup: GROUP,
  });
  outgoing = undefined;
  const id = (answer.result as { objectId?: string } | undefined)?.objectId;
  if (!id) throw new Error('the inspector did not return the object');
  return id;
}

/** The object an inspector id stands for. */
function localObjectOf(agentId: string, objectId: string): unknown {
  post('Runtime.callFunctionOn', {
    objectId: agentId,
    functionDeclaration: `function (found) { this.${HAND_OFF_PROPERTY}(found); }`,
    arguments: [{ objectId }],
    objectGroup: GROUP,
  });
  const found = incoming;
  incoming = undefined;
  return found;
}

/** An object's own properties as the inspector reports them (internal and private ones too), in the group. */
function ownPropertiesOf(objectId: string): Record<string, unknown> {
  return post('Runtime.getProperties', { objectId, ownProperties: true, objectGroup: GROUP });
}

/**
 * Every live native promise (of any subclass, whatever `globalThis.Promise` has become) and, when
 * `everything` is set, every other live object too (the caller picks timers out of them). Throws an
 * Error saying why when the inspector cannot be used.
 *
 * One heap walk whatever is asked: a walk costs about the same whichever prototype it looks for (≈ 400 ms
 * on a heap holding 100 000 pending promises, against ≈ 25 ms for a full GC), so promises and timers
 * are found by walking once for `Object.prototype` and sorting what came back here.
 */
export function queryLiveObjects(everything: boolean): { promises: object[]; others: object[] } {
  return withObjectGroup((agentId) => {
    const root = everything ? ObjectPrototype : NativePromisePrototype;
    const all = instancesOf(agentId, root);
    if (!everything) return { promises: all, others: [] };
    liveObjects = all;
    const promises: object[] = [];
    const others: object[] = [];
    for (const object of all as object[]) {
      if (inheritsFrom(object, NativePromisePrototype)) promises.push(object);
      else others.push(object);
    }
    return { promises, others };
  });
}

/** Every live object with `prototype` on its chain: one heap walk, after V8's full collections. */
function instancesOf(agentId: string, prototype: object): object[] {
  const found = post('Runtime.queryObjects', {
    prototypeObjectId: remoteIdOf(agentId, prototype),
    objectGroup: GROUP,
  });
  const arrayId = (found.objects as { objectId?: string } | undefined)?.objectId;
  if (!arrayId) throw new Error('the inspector returned no objects');
  const all = localObjectOf(agentId, arrayId);
  if (!Array.isArray(all)) throw new Error('the inspector returned no objects');
  return all as object[];
}

const ObjectPrototype = ReflectGetPrototypeOf(NativePromisePrototype) as object;

/**
 * Every live object, from the one walk of the snapshot that asked for them all: the walk for promises
 * when timers were looked for too, or the first library's. Each walk costs a full collection and a pass
 * over the whole heap (≈ 200 ms on a server with 1 000 requests in flight) whichever prototype it asks
 * for, so a snapshot whose waits are in a pool, a queue and on an emitter walks once, not four times.
 * Dropped when the snapshot ends (`forgetLiveObjects`): the agent keeps no program object past it.
 */
let liveObjects: object[] | undefined;

export function forgetLiveObjects(): void {
  liveObjects = undefined;
}

/**
 * The live instances of a library's classes (a pool's, a queue's), for what a wait inside it reads from
 * them: sorted out of every live object, walked for once per snapshot (asked only when an operation waits
 * in such a library). Throws an Error saying why when the inspector cannot be used.
 */
export function queryInstances(prototypes: readonly object[]): object[][] {
  liveObjects ??= withObjectGroup((agentId) => instancesOf(agentId, ObjectPrototype));
  return instancesAmong(liveObjects, prototypes);
}

/**
 * The private fields (`#pending`) of each object, by name: numbers, strings and booleans as they are,
 * objects as themselves. Private fields are out of reach of JavaScript outside their class; the
 * inspector reports them without calling anything. Throws an Error saying why when the inspector
 * cannot be used.
 */
export function privateFieldsOf(objects: readonly object[]): Map<string, unknown>[] {
  return withObjectGroup((agentId) =>
    objects.map((object) => {
      const fields: Map<string, unknown> = new SafeMap();
      const answer = ownPropertiesOf(remoteIdOf(agentId, object));
      const found = (answer.privateProperties ?? []) as {
        name: string;
        value?: { value?: unknown; unserializableValue?: string; objectId?: string };
      }[];
      for (let index = 0; index < found.length; index++) {
        const { name, value } = found[index];
        if (value?.objectId !== undefined) fields.set(name, localObjectOf(agentId, value.objectId));
        else if (value?.unserializableValue === 'Infinity') fields.set(name, Number.POSITIVE_INFINITY);
        else if (value !== undefined && 'value' in value) fields.set(name, value.value);
      }
      return fields;
    }),
  );
}

export type PromiseState = 'pending' | 'fulfilled' | 'rejected';

/**
 * The state of each promise, from V8's internal `[[PromiseState]]` (≈ 15–20 µs a promise; the hooks
 * follow most promises, so this is asked only of those they could not). undefined where the inspector
 * did not say.
 *
 * Describing a settled promise's result makes V8 read an Error's `stack`, which formats it through
 * `Error.prepareStackTrace` — the program's, if it set one. For the length of the query that property
 * is a function that throws (where it is writable; put back exactly afterwards): V8 then leaves the
 * stack unformatted, and the program's own formatter formats it when the program first reads it.
 */
export function promiseStates(promises: readonly object[]): (PromiseState | undefined)[] {
  const states: (PromiseState | undefined)[] = [];
  for (let index = 0; index < promises.length; index++) states[index] = undefined;
  if (promises.length === 0) return states;
  withoutStackFormatting(() =>
    withObjectGroup((agentId) => {
      const arrayId = remoteIdOf(agentId, promises as object);
      const elements = post('Runtime.getProperties', { objectId: arrayId, ownProperties: true }).result as {
        name: string;
        value?: { objectId?: string };
      }[];
      for (const element of elements) {
        // Array elements are named by their index; `length` and `__proto__` are not.
        const index = +element.name;
        const objectId = element.value?.objectId;
        if (!(index >= 0 && index < promises.length && index % 1 === 0) || !objectId) continue;
        const answer = post('Runtime.getProperties', { objectId, ownProperties: true });
        const internal = (answer.internalProperties ?? []) as { name: string; value?: { value?: unknown } }[];
        for (let at = 0; at < internal.length; at++) {
          if (internal[at].name !== '[[PromiseState]]') continue;
          const state = internal[at].value?.value;
          if (state === 'pending' || state === 'fulfilled' || state === 'rejected') states[index] = state;
        }
      }
    }),
  );
  return states;
}

function refuseToFormat(): never {
  throw new NativeError('stack left unformatted by the Async Toolkit agent');
}

function withoutStackFormatting(body: () => void): void {
  const errorBinding = ReflectGetOwnPropertyDescriptor(globalObject, 'Error');
  const prepare = ReflectGetOwnPropertyDescriptor(NativeError, 'prepareStackTrace');
  const ours = errorBinding?.value === NativeError && (prepare === undefined || prepare.writable === true);
  if (!ours) {
    body();
    return;
  }
  const errorObject = NativeError as unknown as Record<string, unknown>;
  if (prepare === undefined) {
    if (
      !ReflectDefineProperty(NativeError, 'prepareStackTrace', {
        value: refuseToFormat,
        writable: true,
        configurable: true,
        enumerable: false,
      })
    ) {
      body();
      return;
    }
  } else {
    errorObject.prepareStackTrace = refuseToFormat;
  }
  try {
    body();
  } finally {
    if (prepare === undefined) ReflectDeleteProperty(NativeError, 'prepareStackTrace');
    else errorObject.prepareStackTrace = prepare.value;
  }
}

/**
 * Variables of each function's closure, by name: those listed in `names`, from the scopes V8 names
 * after the function `owner` they belong to (`Closure (pipelineImpl)`, `Block (pipelineImpl)`).
 * `Runtime.getProperties` reports a function's `[[Scopes]]` and their variables as they are, without
 * calling anything. Only variables some inner function uses are kept by V8, so only those are found.
 * Throws an Error saying why when the inspector cannot be used.
 */
export function closureVariables(
  functions: readonly object[],
  owner: string,
  names: readonly string[],
): Map<string, unknown>[] {
  const described = [`Closure (${owner})`, `Block (${owner})`];
  return withObjectGroup((agentId) =>
    functions.map((fn) => {
      const variables: Map<string, unknown> = new SafeMap();
      const own = ownPropertiesOf(remoteIdOf(agentId, fn));
      const internal = (own.internalProperties ?? []) as { name: string; value?: { objectId?: string } }[];
      let scopesId: string | undefined;
      for (let index = 0; index < internal.length; index++)
        if (internal[index].name === '[[Scopes]]') scopesId = internal[index].value?.objectId;
      if (scopesId === undefined) return variables;
      const scopes = ownPropertiesOf(scopesId).result as {
        value?: { description?: string; objectId?: string };
      }[];
      for (let index = 0; index < scopes.length; index++) {
        const scope = scopes[index].value;
        if (scope?.objectId === undefined || !described.includes(scope.description ?? '')) continue;
        const found = ownPropertiesOf(scope.objectId).result as {
          name: string;
          value?: { value?: unknown; objectId?: string };
        }[];
        for (let at = 0; at < found.length; at++) {
          const { name, value } = found[at];
          if (!names.includes(name) || variables.has(name) || value === undefined) continue;
          variables.set(
            name,
            value.objectId !== undefined ? localObjectOf(agentId, value.objectId) : value.value,
          );
        }
      }
      return variables;
    }),
  );
}

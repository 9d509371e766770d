// Reading Node's objects (handles, sockets, timers) at snapshot time without running the program's
// code: own and inherited properties are read through their descriptors (a getter is called only when
// it is native, V8's or Node's C++), methods are called only when native, and a proxy ends the search.
// A program's subclass that overrides `address()` or a getter is therefore never called; what it hides
// is simply not described.

import {
  endsWith,
  FunctionPrototypeToString,
  isProxy,
  ReflectApply,
  ReflectGetOwnPropertyDescriptor,
  ReflectGetPrototypeOf,
  ReflectOwnKeys,
  SafeMap,
  SafeWeakMap,
  startsWith,
  symbolDescription,
} from './intrinsics';

const MAX_CHAIN = 16;

/**
 * Whether each function's source text says native code, remembered: a function's text never changes,
 * and a snapshot asks it of the same few methods (`getpeername`, `hasRef`, …) for every socket. Weak, so
 * no function is kept alive by being asked about.
 */
const nativeText: WeakMap<object, boolean> = new SafeWeakMap();

function hasNativeText(value: object): boolean {
  let native = nativeText.get(value);
  if (native === undefined) {
    const text = ReflectApply(FunctionPrototypeToString, value, []) as string;
    native = endsWith(text, '{ [native code] }');
    nativeText.set(value, native);
  }
  return native;
}

/** Whether a function is native code (not a bound function, whose text looks the same). */
export function isNativeFunction(value: unknown): value is (...args: unknown[]) => unknown {
  if (typeof value !== 'function' || isProxy(value)) return false;
  try {
    // The name is read every time: unlike the text, a program can redefine it.
    const named = ReflectGetOwnPropertyDescriptor(value, 'name')?.value;
    return hasNativeText(value) && !(typeof named === 'string' && startsWith(named, 'bound '));
  } catch {
    return false;
  }
}

/** The descriptor of `key` on `object` or the first object of its chain that has it. */
function findDescriptor(object: object, key: PropertyKey): PropertyDescriptor | undefined {
  let current: object | null = object;
  for (let depth = 0; depth < MAX_CHAIN && current !== null; depth++) {
    if (isProxy(current)) return undefined;
    const descriptor = ReflectGetOwnPropertyDescriptor(current, key);
    if (descriptor !== undefined) return descriptor;
    current = ReflectGetPrototypeOf(current) as object | null;
  }
  return undefined;
}

/** `object[key]` where it is data or a native getter; undefined otherwise. Never throws. */
export function readProperty(object: unknown, key: PropertyKey): unknown {
  if (object === null || (typeof object !== 'object' && typeof object !== 'function')) return undefined;
  try {
    const descriptor = findDescriptor(object, key);
    if (descriptor === undefined) return undefined;
    if ('value' in descriptor) return descriptor.value;
    return isNativeFunction(descriptor.get) ? ReflectApply(descriptor.get, object, []) : undefined;
  } catch {
    return undefined;
  }
}

/** Calls `object[key](...args)` when that is a native method; undefined otherwise. Never throws. */
export function callNative(object: unknown, key: PropertyKey, args: unknown[] = []): unknown {
  const method = readProperty(object, key);
  if (!isNativeFunction(method)) return undefined;
  try {
    return ReflectApply(method, object, args);
  } catch {
    return undefined;
  }
}

/**
 * Whether `prototype` is on the object's chain, walked without running the program's code: a proxy
 * (whose `getPrototypeOf` trap would run) ends the walk.
 */
export function inheritsFrom(object: object, prototype: object): boolean {
  let current: object | null = object;
  for (let depth = 0; depth < MAX_CHAIN && current !== null; depth++) {
    if (isProxy(current)) return false;
    current = ReflectGetPrototypeOf(current) as object | null;
    if (current === prototype) return true;
  }
  return false;
}

/**
 * The objects with each prototype on their chain (`inheritsFrom`), one list per prototype, in one pass:
 * a heap walk already made, sorted for several askers without walking the heap again.
 */
export function instancesAmong(objects: readonly object[], prototypes: readonly object[]): object[][] {
  const found: object[][] = [];
  for (let index = 0; index < prototypes.length; index++) found.push([]);
  for (let at = 0; at < objects.length; at++) {
    let current: object | null = objects[at];
    for (let depth = 0; depth < MAX_CHAIN && current !== null; depth++) {
      if (isProxy(current)) break;
      current = ReflectGetPrototypeOf(current) as object | null;
      for (let index = 0; index < prototypes.length; index++)
        if (current === prototypes[index]) found[index].push(objects[at]);
    }
  }
  return found;
}

/** A value read from a library's or Node's object as a count (a length, a size): a whole number ≥ 0. */
export function asCount(value: unknown): number | undefined {
  return typeof value === 'number' && value >= 0 && value % 1 === 0 ? value : undefined;
}

/** The name of an object's constructor, read as data. */
export function constructorName(object: unknown): string | undefined {
  const name = readProperty(readProperty(object, 'constructor'), 'name');
  return typeof name === 'string' && name ? name : undefined;
}

/**
 * The symbols found so far under each description: Node's internal fields (`kHandle`, `kPath`, …) are
 * one symbol shared by every object of a kind, so they are tried first, and an object's keys are listed
 * (an array of all its keys, per socket per snapshot) only when none of them is its own.
 */
const symbolsByDescription: Map<string, symbol[]> = new SafeMap();

/** An own data property whose key is a symbol with this description (Node's internal fields). */
export function ownSymbolValue(object: object, description: string): unknown {
  try {
    if (isProxy(object)) return undefined;
    const known = symbolsByDescription.get(description);
    if (known !== undefined) {
      for (let index = 0; index < known.length; index++) {
        const descriptor = ReflectGetOwnPropertyDescriptor(object, known[index]);
        if (descriptor !== undefined) return descriptor.value;
      }
    }
    const keys = ReflectOwnKeys(object);
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index];
      if (typeof key !== 'symbol' || symbolDescription(key) !== description) continue;
      if (known === undefined) symbolsByDescription.set(description, [key]);
      else if (known.length < MAX_SYMBOLS_PER_DESCRIPTION) known.push(key);
      return ReflectGetOwnPropertyDescriptor(object, key)?.value;
    }
  } catch {}
  return undefined;
}

/**
 * A program that puts its own symbols of these descriptions on sockets by the thousand neither grows the
 * list nor has more than these few of them kept alive.
 */
const MAX_SYMBOLS_PER_DESCRIPTION = 8;

// A snapshot is ordinary JavaScript over the agent's own arrays, maps, sets and strings — `for…of`,
// spreads, `push`, `join`, `sort`, a string's `slice` or `split`, `JSON.stringify` asking for `toJSON` —
// and each of these looks its method up on a built-in prototype when it runs. A program may have
// replaced one (`Array.prototype[Symbol.iterator]` wrapped to count calls, `Array.prototype.push`
// patched by a polyfill) or added one (`Object.prototype.toJSON`): the snapshot would then run the
// program's code. So for the length of a snapshot — synchronous: nothing of the program's runs
// meanwhile — the built-ins are as they were when the agent loaded: what the program replaced, added or
// removed on them is set aside, and put back exactly as it was when the snapshot ends. Only property
// descriptors move; nothing is read through them, so a program's getter is moved, never run.
//
// A property the program changed and then made non-configurable (a prototype frozen after a polyfill)
// cannot be set aside: such a snapshot is not taken — it would run the program's code — and the error
// says which property. A program that freezes built-ins first (`--frozen-intrinsics`, SES) changes none
// of them: nothing to set aside.

import {
  ObjectCreate,
  ReflectApply,
  ReflectDefineProperty,
  ReflectDeleteProperty,
  ReflectGetOwnPropertyDescriptor,
  ReflectGetPrototypeOf,
  ReflectOwnKeys,
  SafeMap,
} from './intrinsics';

// This module runs before anything is set aside: it uses no method a program could have replaced —
// index loops over its own arrays, `SafeMap` (Map's methods as they were at load), descriptors copied
// into objects without a prototype (`Reflect.defineProperty` reads a descriptor's fields through its
// prototype chain, where a program's `Object.prototype.get` would be found).

const iteratorPrototypeOf = (iterable: Iterable<unknown>): object =>
  ReflectGetPrototypeOf(ReflectApply(iterable[Symbol.iterator], iterable, []) as object) as object;

/** The built-ins a snapshot's own code uses, and their names for the error that names a property. */
const GUARDED_NAMES: string[] = [];
const GUARDED: object[] = [];
function guard(name: string, target: object): void {
  GUARDED_NAMES[GUARDED_NAMES.length] = name;
  GUARDED[GUARDED.length] = target;
}
guard('Object.prototype', Object.prototype);
guard('Function.prototype', Function.prototype);
guard('Array', Array);
guard('Array.prototype', Array.prototype);
guard('Array Iterator', iteratorPrototypeOf([]));
guard('Map.prototype', Map.prototype);
guard('Map Iterator', iteratorPrototypeOf(new Map()));
guard('Set.prototype', Set.prototype);
guard('Set Iterator', iteratorPrototypeOf(new Set()));
guard('String.prototype', String.prototype);
guard('String Iterator', iteratorPrototypeOf(''));
guard('RegExp.prototype', RegExp.prototype);
guard('Number.prototype', Number.prototype);
guard('Symbol.prototype', Symbol.prototype);
guard('Math', Math);
guard('JSON', JSON);

const FIELDS: readonly string[] = ['value', 'writable', 'get', 'set', 'enumerable', 'configurable'];

/** An own property's descriptor, copied into an object without a prototype. */
function ownDescriptor(target: object, key: PropertyKey): PropertyDescriptor | undefined {
  const found = ReflectGetOwnPropertyDescriptor(target, key);
  if (found === undefined) return undefined;
  const copy = ObjectCreate(null) as Record<string, unknown>;
  for (let index = 0; index < FIELDS.length; index++) {
    const field = ReflectGetOwnPropertyDescriptor(found, FIELDS[index]);
    if (field !== undefined) copy[FIELDS[index]] = field.value;
  }
  return copy as PropertyDescriptor;
}

interface Properties {
  keys: PropertyKey[];
  byKey: Map<PropertyKey, PropertyDescriptor>;
}

function propertiesOf(target: object): Properties {
  const keys = ReflectOwnKeys(target);
  const byKey: Map<PropertyKey, PropertyDescriptor> = new SafeMap();
  for (let index = 0; index < keys.length; index++) {
    const descriptor = ownDescriptor(target, keys[index]);
    if (descriptor !== undefined) byKey.set(keys[index], descriptor);
  }
  return { keys, byKey };
}

/** As the agent found them when it loaded, before the program's first line. */
const ORIGINALS: Properties[] = [];
for (let index = 0; index < GUARDED.length; index++) ORIGINALS[index] = propertiesOf(GUARDED[index]);

function sameDescriptor(a: PropertyDescriptor, b: PropertyDescriptor): boolean {
  return (
    a.value === b.value &&
    a.get === b.get &&
    a.set === b.set &&
    a.writable === b.writable &&
    a.enumerable === b.enumerable &&
    a.configurable === b.configurable
  );
}

/** A property of the program's set aside: how to put it back (undefined: it did not exist). */
interface SetAside {
  target: object;
  key: PropertyKey;
  program: PropertyDescriptor | undefined;
}

function describeKey(owner: string, key: PropertyKey): string {
  return typeof key === 'symbol' ? `${owner}[${String(key)}]` : `${owner}.${key}`;
}

/** Puts back what the program had; in reverse order, so that a key moved twice ends as it was. */
function restore(setAside: readonly SetAside[]): void {
  for (let index = setAside.length - 1; index >= 0; index--) {
    const { target, key, program } = setAside[index];
    if (program === undefined) ReflectDeleteProperty(target, key);
    else ReflectDefineProperty(target, key, program);
  }
}

/**
 * Sets aside every change of the program's to the guarded built-ins that can be; `blockedBy` names the
 * first that could not (the program made it permanent).
 */
function setAsideChanges(): { setAside: SetAside[]; blockedBy?: string } {
  const setAside: SetAside[] = [];
  let blockedBy: string | undefined;
  const move = (index: number, key: PropertyKey, moved: boolean, program: PropertyDescriptor | undefined) => {
    if (moved) setAside[setAside.length] = { target: GUARDED[index], key, program };
    else blockedBy ??= describeKey(GUARDED_NAMES[index], key);
  };
  for (let index = 0; index < GUARDED.length; index++) {
    const target = GUARDED[index];
    const original = ORIGINALS[index];
    const now = propertiesOf(target);
    for (let at = 0; at < now.keys.length; at++) {
      const key = now.keys[at];
      const program = now.byKey.get(key);
      const before = original.byKey.get(key);
      if (program === undefined || (before !== undefined && sameDescriptor(before, program))) continue;
      const moved =
        before === undefined
          ? ReflectDeleteProperty(target, key)
          : ReflectDefineProperty(target, key, before);
      move(index, key, moved, program);
    }
    for (let at = 0; at < original.keys.length; at++) {
      const key = original.keys[at];
      const before = original.byKey.get(key);
      if (before === undefined || now.byKey.has(key)) continue;
      // The program deleted a built-in: it is back for the snapshot, gone again after it.
      move(index, key, ReflectDefineProperty(target, key, before), undefined);
    }
  }
  return { setAside, blockedBy };
}

/**
 * Runs `body` with the built-ins as the agent loaded them; `refused` runs instead (with all that could
 * be set aside set aside: it too must run none of the program's code) when the program made one of its
 * changes permanent.
 */
export function withBuiltinsAsLoaded<T>(body: () => T, refused: (property: string) => T): T {
  const { setAside, blockedBy } = setAsideChanges();
  try {
    return blockedBy === undefined ? body() : refused(blockedBy);
  } finally {
    restore(setAside);
  }
}

// How far a Node stream has got, read from its state objects (`_writableState`, `_readableState`) as data,
// at snapshot time. Node 18 keeps `writing` and `buffered` as plain fields of the writable state; Node
// 20–26 pack the flags into one number under a symbol (`kState`) behind getters on the state's prototype
// (`(this[kState] & bit) !== 0`), which are Node's JavaScript, not native, so `readProperty` does not
// call them. Which key and bit each getter reads is learned once, when the agent loads, by running
// Node's own getter on a probe of the agent's (a proxy that answers every read with one bit set); at
// snapshot time the agent reads the number and the buffered list itself. Every other field used here
// (`length`, `highWaterMark`, `bufferedIndex`, the readable `buffer` and `bufferIndex`, Node 26's
// `fastChunk`) is a plain field on Node 18–26.
//
// Counts are chunks (write requests, pushed entries), never bytes: `length` counts bytes outside object
// mode, so it is used only against `highWaterMark`, which counts the same way.

import { Stream, Writable } from 'node:stream';
import { isProxy, ReflectApply, ReflectGetOwnPropertyDescriptor, ReflectGetPrototypeOf } from './intrinsics';
import { asCount, readProperty } from './nativeReads';

/** What every Node stream inherits from (Readable, Writable, Duplex, Transform, legacy streams). */
export const StreamPrototype: object = Stream.prototype;

/** A flag of Node 20+'s packed state: the key of the number and its bit; `value`: what it guards. */
interface PackedFlag {
  key: PropertyKey;
  mask: number;
  value?: PropertyKey;
}

const ANSWERED = {};

/**
 * The key and bit a state getter reads, found by running Node's getter on proxies of the agent's that
 * answer the first read with one bit set and any second read with a marker: the getter is Node's own,
 * taken before the program's first line. undefined where the getter is not shaped so (Node 18).
 */
function probeFlag(prototype: unknown, name: string, guardsValue: boolean): PackedFlag | undefined {
  try {
    if (typeof prototype !== 'object' || prototype === null) return undefined;
    const getter = ReflectGetOwnPropertyDescriptor(prototype, name)?.get;
    if (typeof getter !== 'function') return undefined;
    for (let bit = 0; bit < 31; bit++) {
      const keys: PropertyKey[] = [];
      const probe = new Proxy(
        {},
        {
          get(_target, key) {
            keys.push(key);
            return keys.length === 1 ? 1 << bit : ANSWERED;
          },
        },
      );
      const result = ReflectApply(getter, probe, []);
      if (guardsValue ? result === ANSWERED && keys.length === 2 : result === true && keys.length === 1)
        return { key: keys[0], mask: 1 << bit, value: keys[1] };
    }
  } catch {}
  return undefined;
}

const WritableStatePrototype = readProperty(readProperty(Writable, 'WritableState'), 'prototype');
const WRITING = probeFlag(WritableStatePrototype, 'writing', false);
const BUFFERED = probeFlag(WritableStatePrototype, 'buffered', true);

/** An own data property of a state object (never a getter, never through a proxy). */
function ownData(object: object, key: PropertyKey): unknown {
  const descriptor = ReflectGetOwnPropertyDescriptor(object, key);
  return descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
}

const MAX_CHAIN = 16;

/**
 * A stream's state object; null when the stream has no such side (no `_writableState` on a Readable),
 * undefined when it cannot be read as data (a proxy, the program's accessor).
 */
function stateObject(stream: unknown, key: string): object | null | undefined {
  if (typeof stream !== 'object' || stream === null) return undefined;
  let current: object | null = stream;
  for (let depth = 0; depth < MAX_CHAIN && current !== null; depth++) {
    if (isProxy(current)) return undefined;
    const descriptor = ReflectGetOwnPropertyDescriptor(current, key);
    if (descriptor !== undefined) {
      const state = 'value' in descriptor ? descriptor.value : undefined;
      if (state === null && current === stream) return null;
      return typeof state === 'object' && state !== null && !isProxy(state) ? state : undefined;
    }
    current = ReflectGetPrototypeOf(current) as object | null;
  }
  return current === null ? null : undefined;
}

function packed(state: object, flag: PackedFlag | undefined): boolean | undefined {
  if (flag === undefined) return undefined;
  const bits = ownData(state, flag.key);
  return typeof bits === 'number' ? (bits & flag.mask) !== 0 : undefined;
}

export interface WritableSide {
  /** A chunk was handed to `_write` (a Transform's `transform`) and its callback has not been called. */
  writing: boolean;
  /** Chunks written to the stream and queued behind the one being written. */
  buffered: number;
}

/** The writable side of a stream; null when it has none, undefined when its state is not plain data. */
export function writableSide(stream: unknown): WritableSide | null | undefined {
  const state = stateObject(stream, '_writableState');
  if (state === null || state === undefined) return state;
  const plainWriting = ownData(state, 'writing');
  const writing = typeof plainWriting === 'boolean' ? plainWriting : packed(state, WRITING);
  const index = asCount(ownData(state, 'bufferedIndex'));
  let list = ownData(state, 'buffered');
  if (list === undefined && BUFFERED?.value !== undefined) {
    const held = packed(state, BUFFERED);
    list = held === false ? [] : held === true ? ownData(state, BUFFERED.value) : undefined;
  }
  const length = Array.isArray(list) ? asCount(ownData(list, 'length')) : undefined;
  if (writing === undefined || index === undefined || length === undefined) return undefined;
  return { writing, buffered: Math.max(0, length - index) };
}

export interface ReadableSide {
  /** Chunks pushed into the stream and not yet read out of it. */
  buffered: number;
  /** Its buffer holds as much as its highWaterMark: it asks its source for no more. */
  full: boolean;
}

/** The readable side of a stream; null when it has none, undefined when its state is not plain data. */
export function readableSide(stream: unknown): ReadableSide | null | undefined {
  const state = stateObject(stream, '_readableState');
  if (state === null || state === undefined) return state;
  const length = asCount(ownData(state, 'length'));
  const highWaterMark = asCount(ownData(state, 'highWaterMark'));
  const buffer = ownData(state, 'buffer');
  if (length === undefined || highWaterMark === undefined || typeof buffer !== 'object' || buffer === null)
    return undefined;
  if (isProxy(buffer)) return undefined;
  const entries = asCount(ownData(buffer, 'length'));
  if (entries === undefined) return undefined;
  // Node 18's buffer is a linked list whose `length` counts its entries; Node 20+'s an array read from
  // `bufferIndex` on; Node 26 may park one more chunk on `fastChunk`.
  const start = Array.isArray(buffer) ? asCount(ownData(state, 'bufferIndex')) : 0;
  if (start === undefined) return undefined;
  const fast = ownData(state, 'fastChunk');
  const parked = fast !== undefined && fast !== null ? 1 : 0;
  return {
    buffered: Math.max(0, entries - start) + parked,
    full: highWaterMark > 0 && length >= highWaterMark,
  };
}

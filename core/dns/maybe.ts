/**
 * (Named `andThen`, not `then`: a module exporting `then` would itself be a thenable.)
 * Chaining values that may or may not be promises, so that reads served synchronously (the local
 * state store) never pay for a microtask, and remote reads still work.
 */
import type { MaybePromise } from './catalog.ts';

/** True for thenables. */
export function isPromise<T>(v: MaybePromise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/** `f(v)` now if `v` is a plain value, else after it resolves. */
export function andThen<T, U>(v: MaybePromise<T>, f: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return isPromise(v) ? v.then(f) : f(v);
}

/** Runs `f`; synchronous throws and rejections both go to `onError`. */
export function attempt<T>(f: () => MaybePromise<T>, onError: (e: unknown) => T): MaybePromise<T> {
  let v: MaybePromise<T>;
  try {
    v = f();
  } catch (e) {
    return onError(e);
  }
  return isPromise(v) ? v.catch(onError) : v;
}

/**
 * Resolves after every pending promise callback has run: one macrotask hop (setImmediate in
 * Node, a MessageChannel message in browsers, which unlike setTimeout is not clamped to 4 ms).
 */
export const settle: () => Promise<void> = makeSettle();

function makeSettle(): () => Promise<void> {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown };
  if (typeof g.setImmediate === 'function') {
    const immediate = g.setImmediate;
    return () => new Promise<void>((resolve) => immediate(resolve));
  }
  const channel = new MessageChannel();
  const waiting: Array<() => void> = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(0);
    });
}

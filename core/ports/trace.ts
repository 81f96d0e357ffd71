/**
 * Typed trace events: every observable step of the simulator and the protocol state machines,
 * in one stream that checkers read, the trace hash covers and the browser lab animates.
 */

/**
 * Kinds of trace events and their payloads. Subsystems add their own kinds by module augmentation:
 * `declare module '../ports/trace.ts' { interface TraceEventMap { 'raft.state': { term: number } } }`.
 * Payload values must be JSON-compatible (strings, finite numbers, booleans, null, arrays, plain
 * objects) so that a trace serialises the same way in every runtime.
 */
export interface TraceEventMap {
  /** A datagram was handed to the network. */
  'net.send': { from: string; to: string; bytes: number; id: number };
  /** A datagram reached its destination's handler. */
  'net.deliver': { from: string; to: string; bytes: number; id: number };
  /** A datagram was dropped, and why (loss, partition, down, paused-overflow). */
  'net.drop': { from: string; to: string; id: number; reason: string };
  /** A datagram was duplicated by the network. */
  'net.duplicate': { from: string; to: string; id: number };
  /** A stream was opened, accepted, or closed. */
  'stream.open': { from: string; to: string; id: number };
  'stream.close': { from: string; to: string; id: number; reason: string };
  /** Node lifecycle faults. */
  'node.start': { dc: string };
  'node.crash': { lostWrites: number };
  'node.pause': Record<string, never>;
  'node.resume': Record<string, never>;
  /** Network faults. */
  'fault.partition': { groups: string[][] };
  'fault.cut': { from: string; to: string; oneWay: boolean };
  'fault.heal': Record<string, never>;
  'fault.clog': { from: string; to: string; untilMs: number };
  /** Disk. */
  'disk.sync': { store: string; writes: number };
  /** Free-form marks from scenarios and checkers. */
  mark: { label: string; detail?: unknown };
}

/** One trace event: virtual time `at` (ms), the node it concerns (or "" for the world), its kind. */
export type TraceEvent = {
  [K in keyof TraceEventMap]: { at: number; node: string; kind: K } & TraceEventMap[K];
}[keyof TraceEventMap];

/** Somewhere trace events go. Contract: `emit` never throws and does not retain the event object. */
export interface TraceSink {
  emit<K extends keyof TraceEventMap>(kind: K, node: string, payload: TraceEventMap[K]): void;
}

/** A sink that discards everything. */
export const nullTraceSink: TraceSink = { emit() {} };

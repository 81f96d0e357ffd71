/** The seams between the pure core and its runtimes (Node, browser, simulator). */
export type { Clock, TimerHandle, Timers, TimeSource, WallClock } from './clock.ts';
export type { Random } from './random.ts';
export type {
  Address,
  PacketHandler,
  PacketTransport,
  Stream,
  StreamCloseReason,
  StreamTransport,
} from './transport.ts';
export type {
  LogRecord,
  LogStore,
  SnapshotMeta,
  SnapshotStore,
  StableStore,
  SyncCallback,
} from './storage.ts';
export { LOG_LEVEL_ORDER, nullLogger } from './logger.ts';
export type { Logger, LogLevel } from './logger.ts';
export { nullTraceSink } from './trace.ts';
export type { TraceEvent, TraceEventMap, TraceSink } from './trace.ts';

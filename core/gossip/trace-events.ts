/**
 * Gossip's typed trace events, added to core/ports' TraceEventMap by module augmentation. The node
 * is the observer; payloads are small and JSON-compatible.
 */
import type {} from '../ports/trace.ts';

declare module '../ports/trace.ts' {
  interface TraceEventMap {
    /** A probe round started against `target`. */
    'gossip.probe': { target: string; seq: number };
    /** A probe ended: acked directly, indirectly, via the stream fallback, or failed. */
    'gossip.probe-result': { target: string; seq: number; result: 'ack' | 'indirect-ack' | 'stream-ack' | 'failed' };
    /** memberlist state of `target` changed as seen by this node. */
    'gossip.node-state': { target: string; state: 'alive' | 'suspect' | 'dead' | 'left'; incarnation: number; from: string };
    /** This node refuted an accusation by raising its incarnation. */
    'gossip.refute': { incarnation: number; accuser: string };
    /** A suspicion gained an independent confirmation. */
    'gossip.confirm': { target: string; from: string; confirmations: number };
    /** A push-pull exchange finished (initiated by us when `initiator`). */
    'gossip.push-pull': { peer: string; join: boolean; initiator: boolean; nodes: number };
    /** Lifeguard's health score changed. */
    'gossip.awareness': { score: number };
    /** serf member status changed. */
    'serf.member': { member: string; status: 'alive' | 'leaving' | 'left' | 'failed' | 'reaped' };
    /** serf user event delivered to the application (after de-duplication). */
    'serf.user-event': { name: string; ltime: number };
    /** serf query delivered, or a response/ack received for one of ours. */
    'serf.query': { name: string; ltime: number; id: number };
    'serf.query-response': { id: number; from: string; ack: boolean };
  }
}

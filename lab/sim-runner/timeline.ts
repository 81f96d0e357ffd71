import type { TraceEvent } from '../../core/ports/trace.ts';

/** How the timeline colours an event. */
export type Tone = 'raft' | 'gossip' | 'fault' | 'node' | 'user';

/** One line of the lab's timeline, in plain words. */
export interface TimelineEvent {
  seq: number;
  at: number;
  node: string;
  tone: Tone;
  text: string;
}

const CAPACITY = 600;

/**
 * Turns the trace into the few events a learner wants to see (role changes, elections, suspicion,
 * faults, user actions), skipping the chatter (every packet, every append). `nameOf` maps Raft
 * server IDs to node names.
 */
export class Timeline {
  private readonly events: TimelineEvent[] = [];
  private seq = 0;

  constructor(private readonly nameOf: (raftId: string) => string) {}

  onTrace(ev: TraceEvent): void {
    const text = this.describe(ev);
    if (text) this.push(ev.at, this.nameOf(ev.node), text[0], text[1]);
  }

  /** Adds an event the runner itself knows of (a KV write from the panel, a lesson step). */
  push(at: number, node: string, tone: Tone, text: string): void {
    this.events.push({ seq: ++this.seq, at, node, tone, text });
    if (this.events.length > CAPACITY) this.events.splice(0, this.events.length - CAPACITY);
  }

  /** The newest `n` events, oldest first. */
  recent(n = 200): TimelineEvent[] {
    return this.events.slice(-n);
  }

  get lastSeq(): number {
    return this.seq;
  }

  private describe(ev: TraceEvent): [Tone, string] | undefined {
    switch (ev.kind) {
      case 'raft.state':
        if (ev.state === 'leader') return ['raft', `became leader for term ${ev.term}`];
        if (ev.state === 'candidate') return ['raft', `became candidate for term ${ev.term}`];
        if (ev.state === 'precandidate') return ['raft', `started a pre-vote for term ${ev.term + 1}`];
        return ['raft', `follower in term ${ev.term}${ev.lead ? ` (leader ${this.nameOf(ev.lead)})` : ''}`];
      case 'raft.vote':
        return ev.pre ? undefined : ['raft', `${ev.granted ? 'voted for' : 'refused to vote for'} ${this.nameOf(ev.candidate)} in term ${ev.term}`];
      case 'raft.snapshot':
        if (ev.action === 'take') return ['raft', `took a snapshot at index ${ev.index}`];
        if (ev.action === 'send') return ['raft', `sends its snapshot @${ev.index} to ${this.nameOf(ev.peer)}`];
        return ['raft', `installed a snapshot @${ev.index} from ${this.nameOf(ev.peer)}`];
      case 'raft.config':
        return ['raft', `configuration: ${ev.voters.map((v) => this.nameOf(v)).join(', ')}`];
      case 'gossip.node-state':
        return ev.state === 'alive' ? undefined : ['gossip', `marks ${ev.target} ${ev.state}${ev.from && ev.from !== ev.node ? ` (from ${ev.from})` : ''}`];
      case 'gossip.refute':
        return ['gossip', `refutes suspicion${ev.accuser ? ` by ${ev.accuser}` : ''} (incarnation ${ev.incarnation})`];
      case 'serf.user-event':
        return ['user', `received event "${ev.name}"`];
      case 'node.start':
        return ['node', 'started'];
      case 'node.crash':
        return ['node', `crashed${ev.lostWrites > 0 ? `, losing ${ev.lostWrites} unsynced writes` : ''}`];
      case 'node.pause':
        return ['node', 'paused'];
      case 'node.resume':
        return ['node', 'resumed'];
      case 'fault.partition':
        return ['fault', `partition: ${ev.groups.map((g) => `[${g.join(' ')}]`).join(' | ')}`];
      case 'fault.cut':
        return ['fault', `cut ${ev.from} ${ev.oneWay ? '→' : '↔'} ${ev.to}`];
      case 'fault.heal':
        return ['fault', 'network healed'];
      case 'mark':
        return ['user', ev.label];
      default:
        return undefined;
    }
  }
}

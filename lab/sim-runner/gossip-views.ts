import type { TraceEvent } from '../../core/ports/trace.ts';

/** What gossip thinks of a node: memberlist's states. */
export type GossipStatus = 'alive' | 'suspect' | 'dead' | 'left';

/**
 * Which nodes currently hold a non-alive view of which others, kept from `gossip.node-state`
 * trace events so the topology can colour 1,000 nodes per frame without asking every node about
 * every other (that would be a million lookups). An observer that crashes loses its views.
 */
export class GossipViews {
  /** target → observer → non-alive state. */
  private readonly views = new Map<string, Map<string, GossipStatus>>();

  constructor(private readonly isLanNode: (name: string) => boolean) {}

  onTrace(ev: TraceEvent): void {
    if (ev.kind === 'gossip.node-state') {
      // WAN pool members are named `node.dc`; only LAN views colour the topology.
      if (!this.isLanNode(ev.node) || !this.isLanNode(ev.target)) return;
      let byObserver = this.views.get(ev.target);
      if (ev.state === 'alive') {
        byObserver?.delete(ev.node);
        return;
      }
      if (!byObserver) this.views.set(ev.target, (byObserver = new Map()));
      byObserver.set(ev.node, ev.state);
    } else if (ev.kind === 'node.crash' || ev.kind === 'node.start') {
      for (const byObserver of this.views.values()) byObserver.delete(ev.node);
    }
  }

  /** Forgets what a gracefully stopped node thought (no trace event says so). */
  forget(observer: string): void {
    for (const byObserver of this.views.values()) byObserver.delete(observer);
  }

  /** The most severe view any live peer holds of `target`, with how many hold each. */
  statusOf(target: string): { status: GossipStatus; suspect: number; dead: number; left: number } {
    const byObserver = this.views.get(target);
    let suspect = 0;
    let dead = 0;
    let left = 0;
    if (byObserver) {
      for (const s of byObserver.values()) {
        if (s === 'suspect') suspect++;
        else if (s === 'dead') dead++;
        else if (s === 'left') left++;
      }
    }
    const status: GossipStatus = left > 0 && dead === 0 ? 'left' : dead > 0 ? 'dead' : suspect > 0 ? 'suspect' : 'alive';
    return { status, suspect, dead, left };
  }
}

/**
 * A simulated operator that changes the cluster while faults run: leadership transfers, removing a
 * voter and adding it back as a non-voter (which autopilot then promotes). Every request goes to
 * whichever server currently leads; refusals (not leader, a change already pending) are normal.
 */
import type { Random } from '../../ports/random.ts';
import type { Simulation } from '../../sim/simulation.ts';
import { votersOf } from '../membership.ts';
import { RAFT_PORT, type RaftNode } from './raft-node.ts';

export class RaftOperator {
  private running = false;
  transfers = 0;
  changes = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly ids: string[],
    private readonly nodeOf: (id: string) => RaftNode | undefined,
    private readonly random: Random,
    private readonly everyMs: number,
  ) {}

  start(): void {
    this.running = true;
    this.sim.schedule(this.everyMs * this.random.float(), () => this.act());
  }

  stop(): void {
    this.running = false;
  }

  private leader(): RaftNode | undefined {
    for (const id of this.ids) {
      const n = this.nodeOf(id);
      if (n?.server.state === 'leader') return n;
    }
    return undefined;
  }

  /** Adds back every server missing from the configuration (liveness: the cluster heals whole). */
  readdMissing(): void {
    const l = this.leader();
    if (!l) return;
    const present = new Set(l.server.configuration().servers.map((s) => s.id));
    const missing = this.ids.find((id) => !present.has(id));
    if (missing) l.server.changeConfiguration({ type: 'addNonvoter', id: missing, address: `${missing}:${RAFT_PORT}` }, () => {});
  }

  private act(): void {
    if (!this.running) return;
    this.sim.schedule(this.everyMs * (0.5 + this.random.float()), () => this.act());
    const l = this.leader();
    if (!l) return;
    const config = l.server.configuration();
    const voters = votersOf(config);
    const roll = this.random.float();
    try {
      if (roll < 0.4) {
        const others = voters.filter((id) => id !== l.server.id);
        const to = others[this.random.int(others.length)];
        if (to) {
          l.server.transferLeadership(to);
          this.transfers++;
        }
      } else if (roll < 0.7 && voters.length >= 5) {
        const others = voters.filter((id) => id !== l.server.id);
        const id = others[this.random.int(others.length)]!;
        l.server.changeConfiguration({ type: 'remove', id }, (err) => err || this.changes++);
      } else {
        this.readdMissing();
        this.changes++;
      }
    } catch {
      // Refused (e.g. a transfer already running): an operator just tries again later.
    }
  }
}

/**
 * Every seeded scenario `npm run sim` knows, by name. Subsystems add one line each.
 */
import type { SimScenario } from '../core/sim/scenario.ts';
import { raftScenario } from '../core/raft/sim/raft-scenario.ts';
import { gossipScenario, gossipSmallScenario } from '../core/gossip/sim/gossip-scenario.ts';
import { heartbeatScenario } from '../core/sim/scenarios/heartbeat.ts';

export const scenarios: Record<string, SimScenario> = {
  [heartbeatScenario.name]: heartbeatScenario,
  [raftScenario.name]: raftScenario,
  [gossipScenario.name]: gossipScenario,
  [gossipSmallScenario.name]: gossipSmallScenario,
};

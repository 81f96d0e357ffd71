/** The deterministic simulator: one world for the test suites and the browser lab. */
export { Simulation } from './simulation.ts';
export type { AddNodeOptions, SimulationOptions } from './simulation.ts';
export type { NodeEnv, NodeFactory, NodeProcess, NodeStatus } from './sim-node.ts';
export { SimNode } from './sim-node.ts';
export { CALM_PROFILE, drawSwarmProfile, FaultInjector } from './faults.ts';
export type { SwarmProfile } from './faults.ts';
export { DEFAULT_NETWORK_CONFIG, SimNetwork, hostOf } from './network.ts';
export type { LinkConfig, NetworkConfig } from './network.ts';
export { DEFAULT_DISK_CONFIG, SimDisk, SimLogStore, SimSnapshotStore, SimStableStore } from './disk.ts';
export type { DiskConfig } from './disk.ts';
export type { LatencyModel } from './latency.ts';
export { drawLatency } from './latency.ts';
export { TraceRecorder } from './trace-recorder.ts';
export { describeFailure, parseSeeds, replayCommand } from './scenario.ts';
export type { ScenarioOptions, ScenarioResult, SimScenario } from './scenario.ts';

export { type Classified, classifyPacket, MESSAGE_KINDS, type MessageKind } from './classify.ts';
export { agentConfigFor, type ClusterSpec, type DatacenterSpec, DEFAULT_SPEC, type LabNodeSpec, nodesOf, specFromParams, validateSpec } from './cluster-spec.ts';
export type { GossipStatus } from './gossip-views.ts';
export { type FaultState, type KvReadResult, type LabAction, LabRunner, type LabRunnerOptions, QUANTUM_MS, type ReadMode } from './lab-runner.ts';
export type { LabMessage } from './message-tap.ts';
export type { ClusterSnapshot, LogEntryView, MemberView, NodeDetail, NodeSnapshot, Role } from './snapshot.ts';
export { Timeline, type TimelineEvent, type Tone } from './timeline.ts';
export { LabDriver, SPEEDS } from './driver.ts';

/** Raft log commands and the FSM that applies them to the state store. */
export * from './commands.ts';
export * from './fsm.ts';

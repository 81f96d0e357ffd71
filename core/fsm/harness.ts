import { type Command, encodeCommand } from './commands.ts';
import { ConsulFSM } from './fsm.ts';

/**
 * Drives a ConsulFSM the way raft would (encoded commands at increasing indexes), for tests, the
 * simulator and the lab. `now` is the leader-stamped unix-ms time given to every command.
 */
export class FsmHarness {
  readonly fsm = new ConsulFSM();
  index = 0;
  now = 1_000_000;

  get state() {
    return this.fsm.state;
  }

  /** Encodes and applies one command at the next raft index; returns apply's result. */
  apply(command: Command): unknown {
    this.index++;
    return this.fsm.apply(this.index, encodeCommand(command, this.now));
  }
}

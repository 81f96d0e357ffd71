/** Where a command writes: Consul's cli.Ui splits normal output (stdout) from errors (stderr). */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * One `consul` subcommand. `load` imports its implementation on demand so that `consul version`
 * does not pay for the config loader or anything else it does not use.
 */
export interface CommandEntry {
  name: string;
  synopsis: string;
  load(): Promise<Command>;
}

/** A loaded command: runs with the arguments after its name and returns the exit code. */
export interface Command {
  run(args: string[], io: CliIO): number | Promise<number>;
  /** Text printed for `consul <name> -h`. */
  help(): string;
}

/** Returned by a parent command's `run` to ask for its help (mitchellh/cli RunResultHelp): exit 1. */
export const RUN_RESULT_HELP = -18511;

/** A command that only groups subcommands (`consul kv`, `consul operator raft`): prints its help. */
export function parentCommand(help: string): Command {
  return { help: () => help.trim(), run: () => RUN_RESULT_HELP };
}

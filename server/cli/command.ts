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

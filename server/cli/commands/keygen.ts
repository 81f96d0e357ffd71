import { randomBytes } from 'node:crypto';
import type { Command } from '../command.ts';
import { FlagError, FlagSet } from '../go-flags.ts';
import { commandUsage } from '../usage.ts';

const HELP = `
Usage: consul keygen

  Generates a new encryption key that can be used to configure the
  agent to encrypt traffic. The output of this command is already
  in the proper format that the agent expects.
`;

/** `consul keygen` (command/keygen/keygen.go): 32 random bytes (AES-256) as standard base64. */
export const keygenCommand: Command = {
  help: () => commandUsage(HELP),
  run(args, io) {
    try {
      new FlagSet().parse(args);
    } catch (e) {
      if (!(e instanceof FlagError)) throw e;
      io.stderr(`${e.message}\n`);
      return 1;
    }
    io.stdout(`${randomBytes(32).toString('base64')}\n`);
    return 0;
  },
};

import { emptyAgentFlags } from '../../config/agent-flags.ts';
import { loadConfig } from '../../config/load.ts';
import { ConfigError } from '../../config/sources.ts';
import type { Command } from '../command.ts';
import { FlagError, FlagSet, parseGoBool } from '../go-flags.ts';
import { commandUsage } from '../usage.ts';

const HELP = `
Usage: consul validate [options] FILE_OR_DIRECTORY...

  Performs a basic sanity test on Consul configuration files. For each file
  or directory given, the validate command will attempt to parse the
  contents just as the "consul agent" command would, and catch any errors.

  This is useful to do a test of the configuration only, without actually
  starting the agent. This performs all of the validation the agent would, so
  this should be given the complete set of configuration files that are going
  to be loaded by the agent. This command cannot operate on partial
  configuration fragments since those won't pass the full agent validation.

  Returns 0 if the configuration is valid, or 1 if there are problems.

      $ consul validate /etc/consul.d/
`;

function flags(out: { quiet: boolean; format: string }): FlagSet {
  return new FlagSet()
    .add({ name: 'config-format', usage: "Config files are in this format irrespective of their extension. Must be 'hcl' or 'json'", set: (v) => void (out.format = v) })
    .add({ name: 'quiet', usage: 'When given, a successful run will produce no output.', bool: true, set: (v) => void (out.quiet = parseGoBool(v)) });
}

/**
 * `consul validate [-quiet] [-config-format] FILE_OR_DIRECTORY...` (command/validate/validate.go):
 * loads the files exactly as `consul agent` would (so `data_dir` is required, by design) and
 * prints `Configuration is valid!` with exit 0, or `Config validation failed: <error>` with exit 1.
 */
export const validateCommand: Command = {
  help: () => commandUsage(HELP, flags({ quiet: false, format: '' })),
  run(args, io) {
    const opts = { quiet: false, format: '' };
    let files: string[];
    try {
      files = flags(opts).parse(args);
    } catch (e) {
      if (!(e instanceof FlagError)) throw e;
      io.stderr(`${e.message}\n`);
      return 1;
    }
    if (files.length < 1) {
      io.stderr('Must specify at least one config file or directory\n');
      return 1;
    }
    const values = emptyAgentFlags();
    values.configFiles = files;
    values.configFormat = opts.format;
    let warnings: string[];
    try {
      warnings = loadConfig(values).warnings;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      io.stderr(`Config validation failed: ${e.message}\n`);
      return 1;
    }
    if (!opts.quiet) {
      for (const w of warnings) io.stderr(`${w}\n`);
      io.stdout('Configuration is valid!\n');
    }
    return 0;
  },
};

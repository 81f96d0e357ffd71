import { type Command } from '../command.ts';
import { FlagError, FlagSet } from '../go-flags.ts';
import { commandUsage } from '../usage.ts';
import {
  CONSUL_BUILD_DATE,
  CONSUL_REVISION,
  CONSUL_VERSION,
  CONSUL_VERSION_PRERELEASE,
  PROTOCOL_VERSION_DEFAULT,
  PROTOCOL_VERSION_MAX,
  PROTOCOL_VERSION_MIN,
  humanVersion,
} from '../../version.ts';

const HELP = `
Usage: consul version [options]

  Prints the Consul version and the protocol versions it speaks.
`;

function flags(out: { format: string }): FlagSet {
  return new FlagSet().add({
    name: 'format',
    usage: 'Output format {pretty|json}',
    defValue: 'pretty',
    set: (v) => void (out.format = v),
  });
}

/** `consul version [-format=pretty|json]` (command/version/version.go). */
export const versionCommand: Command = {
  help: () => commandUsage(HELP, flags({ format: '' })),
  run(args, io) {
    const opts = { format: 'pretty' };
    try {
      flags(opts).parse(args);
    } catch (e) {
      if (!(e instanceof FlagError)) throw e;
      io.stderr(`${e.message}\n`);
      return 1;
    }
    if (opts.format === 'json') {
      const info = {
        Version: CONSUL_VERSION,
        Revision: CONSUL_REVISION,
        Prerelease: CONSUL_VERSION_PRERELEASE,
        FIPS: '',
        BuildDate: CONSUL_BUILD_DATE,
        RPC: { Default: PROTOCOL_VERSION_DEFAULT, Min: PROTOCOL_VERSION_MIN, Max: PROTOCOL_VERSION_MAX },
      };
      io.stdout(`${JSON.stringify(info, null, 2)}\n`);
      return 0;
    }
    if (opts.format !== 'pretty') {
      io.stderr(`Invalid format: ${opts.format}\n`);
      return 1;
    }
    io.stdout(
      `Consul v${humanVersion()}\nRevision ${CONSUL_REVISION}\nBuild Date ${CONSUL_BUILD_DATE}\n` +
        `Protocol ${PROTOCOL_VERSION_DEFAULT} spoken by default, understands ${PROTOCOL_VERSION_MIN} to ${PROTOCOL_VERSION_MAX} (agent will automatically use protocol >${PROTOCOL_VERSION_DEFAULT} when speaking to compatible agents)\n`,
    );
    return 0;
  },
};

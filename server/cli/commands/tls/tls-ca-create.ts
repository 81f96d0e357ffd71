import { createCa } from '../../../tls/certs.ts';
import type { Command } from '../../command.ts';
import { FlagError, FlagSet, parseGoBool, parseGoInt } from '../../go-flags.ts';
import { commandUsage } from '../../usage.ts';
import { fileExists, parseOrExit, writeAtomic } from './tls-files.ts';

const HELP = `
Usage: consul tls ca create [options]

  Create a new consul CA:

  $ consul tls ca create
  ==> Saved consul-agent-ca.pem
  ==> Saved consul-agent-ca-key.pem
`;

interface Opts {
  days: number;
  domain: string;
  constraint: boolean;
  additional: string[];
  commonName: string;
}

function flags(o: Opts): FlagSet {
  return new FlagSet()
    .add({ name: 'days', usage: 'Provide number of days the CA is valid for from now on. Defaults to 5 years.', defValue: '1825', set: (v) => void (o.days = parseGoInt(v)) })
    .add({ name: 'domain', usage: 'Domain of consul cluster. Only used in combination with -name-constraint. Defaults to consul.', defValue: 'consul', set: (v) => void (o.domain = v) })
    .add({
      name: 'name-constraint',
      bool: true,
      usage: 'Add name constraints for the CA. Results in rejecting certificates for other DNS than specified. If turned on localhost and -domain will be added to the allowed DNS. If the UI is going to be served over HTTPS its DNS has to be added with -additional-constraint. It is not possible to add that after the fact! Defaults to false.',
      set: (v) => void (o.constraint = parseGoBool(v)),
    })
    .add({ name: 'common-name', usage: 'Common Name of CA. Defaults to Consul Agent CA.', set: (v) => void (o.commonName = v) })
    .add({ name: 'additional-name-constraint', usage: 'Add name constraints for the CA. Results in rejecting certificates for other DNS than specified. Can be used multiple times. Only used in combination with -name-constraint.', set: (v) => void o.additional.push(v) });
}

const defaults = (): Opts => ({ days: 1825, domain: 'consul', constraint: false, additional: [], commonName: '' });

/** `consul tls ca create`: writes `<domain>-agent-ca.pem` and `<domain>-agent-ca-key.pem`. */
export const tlsCaCreateCommand: Command = {
  help: () => commandUsage(HELP, flags(defaults())),
  async run(args, io) {
    const o = defaults();
    const exit = parseOrExit(flags(o), args, io, () => commandUsage(HELP, flags(defaults())));
    if (exit !== undefined) return exit;
    const certFile = `${o.domain}-agent-ca.pem`;
    const keyFile = `${o.domain}-agent-ca-key.pem`;
    for (const f of [certFile, keyFile]) {
      if (fileExists(f)) {
        io.stderr(`${f} already exists\n`);
        return 1;
      }
    }
    if (o.days <= 0) {
      io.stderr('-days must be greater than 0\n');
      return 1;
    }
    const ca = await createCa({ days: o.days, domain: o.domain, nameConstraint: o.constraint, additionalNameConstraints: o.additional, commonName: o.commonName });
    writeAtomic(certFile, ca.cert, 0o666);
    io.stdout(`==> Saved ${certFile}\n`);
    writeAtomic(keyFile, ca.key, 0o600);
    io.stdout(`==> Saved ${keyFile}\n`);
    return 0;
  },
};

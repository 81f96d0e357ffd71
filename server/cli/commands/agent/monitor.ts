import { errorText } from '../../api-client.ts';
import { parseGoBool } from '../../go-flags.ts';
import { httpCommand } from '../../http-command.ts';

/**
 * `consul monitor [-log-level L] [-log-json]`: streams the agent's log lines from
 * `/v1/agent/monitor` until interrupted (exit 0) or the agent ends the stream.
 */
export const monitorCommand = httpCommand({
  help: `
Usage: consul monitor [options]

  Shows recent log messages of a Consul agent, and attaches to the agent,
  outputting log messages as they occur in real time. The monitor lets you
  listen for log levels that may be filtered out of the Consul agent. For
  example your agent may only be logging at INFO level, but with the monitor
  you can see the DEBUG level logs.
`,
  serverFlags: false,
  defaults: () => ({ logLevel: 'INFO', logJson: false }),
  flags: (fs, o) =>
    fs
      .add({ name: 'log-level', defValue: 'INFO', usage: 'Log level of the agent.', set: (v) => void (o.logLevel = v) })
      .add({ name: 'log-json', bool: true, usage: 'Output logs in JSON format.', set: (v) => void (o.logJson = parseGoBool(v)) }),
  async run({ opts, io, client }) {
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      await client.request('GET', '/v1/agent/monitor', {
        query: { loglevel: opts.logLevel, logjson: opts.logJson || undefined },
        noDatacenter: true,
        signal: stop.signal,
        onChunk: (c) => io.stdout(c.toString('utf8')),
      });
    } catch (e) {
      if (stop.signal.aborted) return 0;
      io.stderr(`Error starting monitor: ${errorText(e)}\n`);
      return 1;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    if (stop.signal.aborted) return 0;
    io.stderr('Remote side ended the monitor! This usually means that the\nremote side has exited or crashed.\n');
    return 1;
  },
});

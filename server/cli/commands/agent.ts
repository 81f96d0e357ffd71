import { agentFlagSet, emptyAgentFlags } from '../../config/agent-flags.ts';
import { parseAgentConfig } from '../../config/load.ts';
import { resolveNodeId } from '../../agent-files/node-id.ts';
import { removePidFile, writePidFile } from '../../agent-files/pid-file.ts';
import { createAgentLogger, logConfigWarnings } from '../../log/agent-logger.ts';
import { GatedWriter } from '../../log/gated-writer.ts';
import { startupBanner } from '../../log/startup-banner.ts';
import { startAgent } from '../../agent/start-agent.ts';
import type { Command } from '../command.ts';
import { commandUsage } from '../usage.ts';

const HELP = `
Usage: consul agent [options]

  Starts the Consul agent and runs until an interrupt is received. The
  agent represents a single node in a cluster.
`;

/**
 * `consul agent`: validates flags and config files before anything binds (errors exit 1), prints
 * Consul's banner, starts the agent, and on SIGINT/SIGTERM leaves the cluster gracefully or not,
 * as `skip_leave_on_interrupt` and `leave_on_terminate` say, then exits 0.
 */
export const agentCommand: Command = {
  help: () => commandUsage(HELP, agentFlagSet(emptyAgentFlags())),
  async run(args, io) {
    // Flags and config exactly as Consul reports them (Go flag errors with usage, `==> ` errors).
    const parsed = parseAgentConfig(args);
    if (!parsed.ok) {
      io.stderr(parsed.stderr);
      return parsed.exitCode;
    }
    const loaded = { runtimeConfig: parsed.config, warnings: parsed.warnings };
    const rt = loaded.runtimeConfig;
    // Log lines wait behind a gate until the banner is out, as Consul's GatedWriter does.
    const gate = new GatedWriter((line) => io.stdout(line));
    const logger = createAgentLogger(rt, gate.write);
    let nodeId: string;
    try {
      nodeId = resolveNodeId({ configured: rt.nodeId, dataDir: rt.devMode ? '' : rt.dataDir, logger });
    } catch (e) {
      io.stderr(`==> ${(e as Error).message}\n`);
      return 1;
    }
    io.stdout(startupBanner(rt, nodeId));
    gate.flush();
    logConfigWarnings(logger, loaded.warnings);
    let running: Awaited<ReturnType<typeof startAgent>>;
    try {
      running = await startAgent(rt, nodeId, logger);
    } catch (e) {
      io.stderr(`==> Error starting agent: ${(e as Error).message}\n`);
      return 1;
    }
    if (rt.pidFile) writePidFile(rt.pidFile);
    // SIGHUP and PUT /v1/agent/reload re-read the same flags and files, as Consul's reload does.
    const reload = async () => {
      const next = parseAgentConfig(args);
      if (!next.ok) throw new Error(next.stderr.replace(/^==> /, '').trim());
      running.reload(next.config);
      logger.setLevel(next.config.logging.logLevel);
    };
    running.agent.reloadHandler = reload;
    process.on('SIGHUP', () => {
      logger.log('info', 'Caught signal: hangup');
      logger.log('info', 'Reloading configuration...');
      reload().catch((e) => logger.log('error', 'Failed to reload configs', { error: (e as Error).message }));
    });
    logger.log('info', 'Consul agent running!');
    return new Promise<number>((resolve) => {
      let stopping = false;
      const stop = async (leave: boolean, signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.log('info', `Caught signal: ${signal}`);
        if (leave) logger.log('info', 'Gracefully shutting down agent...');
        await running.shutdown(leave);
        if (rt.pidFile) removePidFile(rt.pidFile);
        logger.log('info', 'Graceful exit completed');
        resolve(0);
      };
      process.once('SIGINT', () => void stop(!rt.skipLeaveOnInt, 'interrupt'));
      process.once('SIGTERM', () => void stop(rt.leaveOnTerm, 'terminated'));
    });
  },
};

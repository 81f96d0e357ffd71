import type { RuntimeConfig } from '../config/runtime-config.ts';
import { HclogLogger } from './hclog-logger.ts';

/**
 * The agent's root logger, named `agent` as in Consul (children: `agent.server.raft`,
 * `agent.server.serf.lan`, ...), at the configured `-log-level`, in text or `-log-json` form.
 * Consul writes agent logs to stdout.
 */
export function createAgentLogger(rt: RuntimeConfig, write?: (line: string) => void): HclogLogger {
  return new HclogLogger({ level: rt.logging.logLevel, json: rt.logging.logJSON, ...(write ? { write } : {}) }, 'agent');
}

/** Prints config-load warnings the way the agent does on start: `[WARN]  agent: <warning>`. */
export function logConfigWarnings(logger: HclogLogger, warnings: readonly string[]): void {
  for (const w of warnings) logger.log('warn', w);
}

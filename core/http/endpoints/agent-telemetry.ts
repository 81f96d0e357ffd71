import { toPrometheusText } from '../../lib/metrics.ts';
import { LOG_LEVEL_ORDER, type LogLevel } from '../../ports/logger.ts';
import type { AgentApi, HttpApiOptions } from '../api.ts';
import { HttpError } from '../errors.ts';
import { jsonResponse, respond, streamResponse } from '../response.ts';
import type { Router } from '../router.ts';

/** Lines a slow monitor client may fall behind by before lines are dropped (Consul's buffer: 512). */
const MONITOR_BUFFER_LINES = 512;

/** hclog's level names as `?loglevel=` takes them (case-insensitive; `warning` and `err` too). */
function parseLogLevel(raw: string | null): LogLevel {
  const v = (raw ?? 'INFO').trim().toLowerCase();
  const alias: Record<string, LogLevel> = { warning: 'warn', err: 'error' };
  const level = (alias[v] ?? v) as LogLevel;
  if (!(level in LOG_LEVEL_ORDER)) throw new HttpError(400, `Unknown log level: ${raw}`);
  return level;
}

/** `/v1/agent/metrics` (JSON or Prometheus text) and `/v1/agent/monitor` (a log stream). */
export function registerAgentTelemetry(router: Router, agent: AgentApi, options: HttpApiOptions): void {
  router.register('/v1/agent/metrics', ['GET'], async (ctx) => {
    (await ctx.authorize()).require('agent', agent.nodeName, 'read');
    const summary = agent.metricsSummary?.();
    if (!summary) throw new HttpError(500, 'metrics are not available on this agent');
    if (ctx.query.get('format') !== 'prometheus') return jsonResponse(summary, { pretty: ctx.pretty });
    if (!(options.prometheusRetentionMs && options.prometheusRetentionMs > 0)) {
      throw new HttpError(415, 'Prometheus is not enabled since its retention time is not positive');
    }
    return respond(200, toPrometheusText(summary), { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });

  router.register('/v1/agent/monitor', ['GET'], async (ctx) => {
    (await ctx.authorize()).require('agent', agent.nodeName, 'read');
    const level = parseLogLevel(ctx.query.get('loglevel'));
    const subscribe = agent.monitor;
    if (!subscribe) throw new HttpError(500, 'log streaming is not available on this agent');
    const json = ctx.has('logjson');
    const encoder = new TextEncoder();
    let stop = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        let dropped = 0;
        stop = subscribe(level, json, (line) => {
          if ((controller.desiredSize ?? 0) <= -MONITOR_BUFFER_LINES) {
            dropped++;
            return;
          }
          if (dropped > 0) {
            controller.enqueue(encoder.encode(`Monitor dropped ${dropped} logs during monitor request\n`));
            dropped = 0;
          }
          controller.enqueue(encoder.encode(line.endsWith('\n') ? line : `${line}\n`));
        });
        ctx.request.signal.addEventListener('abort', () => {
          stop();
          try {
            controller.close();
          } catch {
            // already closed by a cancel
          }
        });
      },
      cancel() {
        stop();
      },
    }, { highWaterMark: 0 });
    return streamResponse(200, stream, { 'Content-Type': 'text/plain; charset=utf-8' });
  });
}

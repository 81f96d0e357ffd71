import { describe, expect, it } from 'vitest';
import { goTimeString, Metrics, toPrometheusText } from './metrics.ts';

describe('Metrics (an InmemSink)', () => {
  it('aggregates counters and samples per 10 s interval and shows the last finished one', () => {
    const m = new Metrics();
    m.incrCounter(1_000, 'consul.rpc.request');
    m.addSample(2_000, 'consul.api.http', 4, { method: 'GET' });
    m.addSample(3_000, 'consul.api.http', 6, { method: 'GET' });
    const early = m.summary(5_000, 'now');
    expect(early.Counters).toEqual([expect.objectContaining({ Name: 'consul.rpc.request', Count: 1, Sum: 1, Rate: 0.1 })]);
    expect(early.Samples[0]).toMatchObject({ Count: 2, Sum: 10, Min: 4, Max: 6, Mean: 5, Labels: { method: 'GET' } });
    expect(early.Samples[0]?.Stddev).toBeCloseTo(Math.SQRT2);
    m.addSample(12_000, 'consul.api.http', 100, { method: 'GET' });
    expect(m.summary(12_500, 'now').Samples[0]).toMatchObject({ Count: 2, Sum: 10 });
    expect(m.summary(31_000, 'now').Samples).toEqual([]);
  });

  it('keeps the last value of a gauge and renders Prometheus text', () => {
    const m = new Metrics();
    m.setGauge('consul.runtime.alloc_bytes', 10);
    m.setGauge('consul.runtime.alloc_bytes', 20);
    m.incrCounter(0, 'consul.client.rpc', 3);
    m.addSample(0, 'consul.api.http', 2, { path: 'v1_kv_' });
    const text = toPrometheusText(m.summary(1, 't'));
    expect(text).toContain('# TYPE consul_runtime_alloc_bytes gauge\nconsul_runtime_alloc_bytes 20\n');
    expect(text).toContain('consul_client_rpc 3');
    expect(text).toContain('consul_api_http_sum{path="v1_kv_"} 2\nconsul_api_http_count{path="v1_kv_"} 1');
  });

  it('stamps summaries like Go time.String in UTC', () => {
    expect(goTimeString(Date.UTC(2026, 10, 21, 8, 20, 0))).toBe('2026-11-21 08:20:00 +0000 UTC');
  });
});

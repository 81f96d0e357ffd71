/**
 * An in-memory metrics sink in the manner of go-metrics' InmemSink, which backs Consul's
 * `/v1/agent/metrics`: gauges keep their last value, counters and samples aggregate over fixed
 * 10-second intervals, and a display shows the most recent finished interval (or the current one
 * when none has finished yet). Pure: the caller passes the time.
 */

import { formatRfc3339 } from './rfc3339.ts';

/** go-metrics labels: name/value pairs that make one series of a metric. */
export type Labels = Record<string, string>;

/** An aggregate of counter increments or timing samples over one interval (go-metrics AggregateSample). */
export interface Aggregate {
  Name: string;
  Count: number;
  Rate: number;
  Sum: number;
  Min: number;
  Max: number;
  Mean: number;
  Stddev: number;
  Labels: Labels;
}

/** `/v1/agent/metrics` JSON (go-metrics MetricsSummary). */
export interface MetricsSummary {
  Timestamp: string;
  Gauges: Array<{ Name: string; Value: number; Labels: Labels }>;
  Points: Array<{ Name: string; Points: number[] }>;
  Counters: Aggregate[];
  Samples: Aggregate[];
}

/** go-metrics' default InmemSink interval for Consul (10 s). */
export const METRICS_INTERVAL_MS = 10_000;

interface Running {
  name: string;
  labels: Labels;
  count: number;
  sum: number;
  sumSq: number;
  min: number;
  max: number;
}

interface Interval {
  start: number;
  counters: Map<string, Running>;
  samples: Map<string, Running>;
}

function seriesKey(name: string, labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? name : `${name};${keys.map((k) => `${k}=${labels[k]}`).join(';')}`;
}

/** The metrics registry of one agent. */
export class Metrics {
  private readonly gauges = new Map<string, { name: string; value: number; labels: Labels }>();
  private current: Interval | undefined;
  private previous: Interval | undefined;

  constructor(private readonly intervalMs = METRICS_INTERVAL_MS) {}

  setGauge(name: string, value: number, labels: Labels = {}): void {
    this.gauges.set(seriesKey(name, labels), { name, value, labels });
  }

  incrCounter(nowMs: number, name: string, by = 1, labels: Labels = {}): void {
    this.add(this.interval(nowMs).counters, name, by, labels);
  }

  /** Records one timing (milliseconds, as go-metrics' MeasureSince reports) or other sample. */
  addSample(nowMs: number, name: string, value: number, labels: Labels = {}): void {
    this.add(this.interval(nowMs).samples, name, value, labels);
  }

  /** The most recent finished interval's counters and samples, with every gauge. */
  summary(nowMs: number, wallClock: string): MetricsSummary {
    const current = this.interval(nowMs);
    const shown = this.previous ?? current;
    const rate = (r: Running) => r.sum / (this.intervalMs / 1000);
    const aggregate = (r: Running): Aggregate => {
      const mean = r.count === 0 ? 0 : r.sum / r.count;
      const variance = r.count < 2 ? 0 : (r.sumSq - (r.sum * r.sum) / r.count) / (r.count - 1);
      return { Name: r.name, Count: r.count, Rate: rate(r), Sum: r.sum, Min: r.min, Max: r.max, Mean: mean, Stddev: Math.sqrt(Math.max(0, variance)), Labels: r.labels };
    };
    const byName = <T extends { Name: string }>(xs: T[]) => xs.sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
    return {
      Timestamp: wallClock,
      Gauges: byName([...this.gauges.values()].map((g) => ({ Name: g.name, Value: g.value, Labels: g.labels }))),
      Points: [],
      Counters: byName([...shown.counters.values()].map(aggregate)),
      Samples: byName([...shown.samples.values()].map(aggregate)),
    };
  }

  private interval(nowMs: number): Interval {
    const start = Math.floor(nowMs / this.intervalMs) * this.intervalMs;
    if (this.current?.start === start) return this.current;
    // Only the interval right before the current one is kept for display; older ones are gone.
    this.previous = this.current && this.current.start === start - this.intervalMs ? this.current : undefined;
    this.current = { start, counters: new Map(), samples: new Map() };
    return this.current;
  }

  private add(into: Map<string, Running>, name: string, value: number, labels: Labels): void {
    const key = seriesKey(name, labels);
    let r = into.get(key);
    if (!r) {
      r = { name, labels, count: 0, sum: 0, sumSq: 0, min: value, max: value };
      into.set(key, r);
    }
    r.count++;
    r.sum += value;
    r.sumSq += value * value;
    r.min = Math.min(r.min, value);
    r.max = Math.max(r.max, value);
  }
}

/** Prometheus' metric-name rule: dots and other invalid characters become underscores. */
function promName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_:]/g, '_');
}

function promLabels(labels: Labels, extra: Labels = {}): string {
  const all = { ...labels, ...extra };
  const keys = Object.keys(all).sort();
  if (keys.length === 0) return '';
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return `{${keys.map((k) => `${promName(k)}="${esc(all[k] ?? '')}"`).join(',')}}`;
}

/**
 * The same summary in Prometheus' text exposition format (version 0.0.4): gauges as gauges,
 * counters as counters, samples as summaries with `_sum` and `_count`.
 */
export function toPrometheusText(summary: MetricsSummary): string {
  const lines: string[] = [];
  const typed = new Set<string>();
  const head = (name: string, type: string) => {
    if (typed.has(name)) return;
    typed.add(name);
    lines.push(`# HELP ${name} ${name}`, `# TYPE ${name} ${type}`);
  };
  for (const g of summary.Gauges) {
    const n = promName(g.Name);
    head(n, 'gauge');
    lines.push(`${n}${promLabels(g.Labels)} ${g.Value}`);
  }
  for (const c of summary.Counters) {
    const n = promName(c.Name);
    head(n, 'counter');
    lines.push(`${n}${promLabels(c.Labels)} ${c.Sum}`);
  }
  for (const s of summary.Samples) {
    const n = promName(s.Name);
    head(n, 'summary');
    lines.push(`${n}_sum${promLabels(s.Labels)} ${s.Sum}`, `${n}_count${promLabels(s.Labels)} ${s.Count}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Go's `time.Time.String()` in UTC, as go-metrics stamps a summary: `2026-11-21 08:20:00 +0000 UTC`. */
export function goTimeString(unixMs: number): string {
  const iso = formatRfc3339(Math.floor(unixMs / 1000) * 1000);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}

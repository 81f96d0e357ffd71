/**
 * The contract between seeded scenarios and their runners (`npm run sim`, the vitest suites and the
 * browser lab): a scenario is a pure function of its seed.
 */

/** What one seeded run reports. */
export interface ScenarioResult {
  ok: boolean;
  /** Human-readable checker failures; empty when ok. */
  failures: string[];
  /** The FNV-64 hash of the run's whole trace. */
  traceHash: string;
  /** Figures worth printing (events, virtual ms, writes...). */
  stats: Record<string, number>;
  /** The last trace lines, for failure reports. */
  recentTrace?: string[];
}

export interface ScenarioOptions {
  /** Print node log lines as they happen. */
  log?: (line: string) => void;
}

/** A named, seeded scenario. */
export interface SimScenario {
  name: string;
  description: string;
  run(seed: number, options?: ScenarioOptions): ScenarioResult;
}

/** The one command that replays a seed of a scenario. */
export function replayCommand(scenario: string, seed: number): string {
  return `npm run sim -- --scenario ${scenario} --seed ${seed}`;
}

/** Parses `N`, `A..B` (inclusive) or `A,B,C` into seeds. */
export function parseSeeds(spec: string): number[] {
  const range = /^(\d+)\.\.(\d+)$/.exec(spec);
  if (range) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    if (hi < lo) throw new Error(`bad seed range ${spec}`);
    return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  }
  const seeds = spec.split(',').map((s) => Number(s.trim()));
  if (seeds.some((s) => !Number.isSafeInteger(s) || s < 0)) throw new Error(`bad seed list ${spec}`);
  return seeds;
}

/** Formats a failed run as the text a test or the CLI prints. */
export function describeFailure(scenario: string, seed: number, result: ScenarioResult): string {
  const lines = [
    `scenario ${scenario} seed ${seed} FAILED (trace ${result.traceHash}):`,
    ...result.failures.map((f) => `  - ${f}`),
  ];
  if (result.recentTrace?.length) lines.push('  last trace events:', ...result.recentTrace.map((l) => `    ${l}`));
  lines.push(`replay: ${replayCommand(scenario, seed)}`);
  return lines.join('\n');
}

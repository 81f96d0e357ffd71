'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { type ClusterSpec, LabDriver, LabRunner } from '../sim-runner/index.ts';

/** A running lab: the runner, its driver, and a version that changes whenever views should redraw. */
export interface LabHandle {
  runner: LabRunner;
  driver: LabDriver;
  version: number;
}

declare global {
  interface Window {
    /**
     * The page's running lab, for tests and the console: drive it paused (`play=0`) with
     * `driver.step(ms)` and the runner's faults and requests, and every view follows.
     */
    __consulLab?: { runner: LabRunner; driver: LabDriver };
  }
}

/**
 * Builds a LabRunner for `spec` (a new one whenever the spec's key changes), plays it against the
 * browser's frames, and re-renders at most every `minIntervalMs` (big clusters redraw less often;
 * the message layer animates on its own canvas every frame).
 */
export function useLab(spec: ClusterSpec, key: string, options: { autoplay: boolean; untilMs?: number; speed?: number }): LabHandle {
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key names the spec
  const pair = useMemo(() => {
    const runner = new LabRunner(spec);
    const driver = new LabDriver(runner);
    return { runner, driver };
  }, [key]);
  const [version, setVersion] = useState(0);
  const last = useRef(0);
  useEffect(() => {
    // No dispose on cleanup: React's strict mode re-runs effects on the same runner.
    const { runner, driver } = pair;
    window.__consulLab = pair;
    driver.untilMs = options.untilMs;
    if (options.speed !== undefined) driver.setSpeed(options.speed);
    const nodes = runner.nodes.length;
    const minIntervalMs = nodes > 300 ? 250 : nodes > 60 ? 100 : 50;
    const off = driver.subscribe(() => {
      const now = performance.now();
      if (now - last.current < minIntervalMs) return;
      last.current = now;
      setVersion((v) => v + 1);
    });
    driver.start();
    if (options.autoplay) driver.play();
    return () => {
      off();
      driver.stop();
      driver.pause();
    };
  }, [pair, options.autoplay, options.untilMs, options.speed]);
  return { ...pair, version };
}

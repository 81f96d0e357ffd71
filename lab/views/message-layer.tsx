'use client';
import { useEffect, useRef } from 'react';
import type { LabDriver, LabMessage, MessageKind } from '../sim-runner/index.ts';
import type { TopologyLayout } from './layout.ts';
import { KIND_COLOR } from './palette.ts';

interface Flight {
  m: LabMessage;
  start: number;
  duration: number;
}

/**
 * At most this many dots at once; beyond it new messages are sampled evenly, and a note in the
 * corner says how many of how many are drawn (a 1,000-node cluster sends thousands per second).
 */
const MAX_FLIGHTS = 500;
/** Shortest time a dot takes to cross, so that a 8 ms LAN hop is visible at 1x. */
const MIN_WALL_MS = 420;
const MAX_WALL_MS = 2500;

/**
 * Messages in flight, drawn on a canvas over the topology every animation frame (React would be
 * too slow for hundreds of moving dots). A dot leaves its sender when the message is sent and
 * reaches the receiver after its real flight time at the current speed, but never faster than
 * MIN_WALL_MS so learners can follow it; lost messages fade out in red halfway.
 */
export function MessageLayer({ driver, layout, kinds }: { driver: LabDriver; layout: TopologyLayout; kinds: ReadonlySet<MessageKind> }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const note = useRef<HTMLDivElement>(null);
  const kindsRef = useRef(kinds);
  kindsRef.current = kinds;
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const ctx = el.getContext('2d');
    if (!ctx) return;
    let seen = driver.runner.tap.lastSeq;
    let flights: Flight[] = [];
    let raf = 0;
    // Messages wanted and drawn over the last second, for the "sample" note.
    let windowStart = performance.now();
    let wantedCount = 0;
    let drawnCount = 0;
    const draw = () => {
      raf = requestAnimationFrame(draw);
      const now = performance.now();
      const fresh = driver.runner.tap.since(seen);
      seen = driver.runner.tap.lastSeq;
      const speed = driver.speed;
      const allowed = kindsRef.current;
      const room = MAX_FLIGHTS - flights.length;
      const wanted = fresh.filter((m) => allowed.has(m.kind));
      const step = wanted.length > room ? wanted.length / Math.max(1, room) : 1;
      wantedCount += wanted.length;
      for (let i = 0; i < wanted.length && flights.length < MAX_FLIGHTS; i += step) {
        const m = wanted[Math.floor(i)];
        if (!m) continue;
        drawnCount++;
        const flight = m.doneAt !== undefined ? m.doneAt - m.sentAt : 10;
        flights.push({ m, start: now, duration: Math.min(MAX_WALL_MS, Math.max(MIN_WALL_MS, flight / speed)) });
      }
      if (now - windowStart >= 1000) {
        const text = drawnCount < wantedCount ? `dots: a sample of ${perSecond(drawnCount, now - windowStart)} of ${perSecond(wantedCount, now - windowStart)} messages/s` : '';
        if (note.current && note.current.textContent !== text) note.current.textContent = text;
        windowStart = now;
        wantedCount = 0;
        drawnCount = 0;
      }
      const rect = el.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      if (el.width !== Math.round(rect.width * dpr) || el.height !== Math.round(rect.height * dpr)) {
        el.width = Math.round(rect.width * dpr);
        el.height = Math.round(rect.height * dpr);
      }
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, el.width, el.height);
      const s = Math.min(rect.width / layout.width, rect.height / layout.height);
      const ox = (rect.width - layout.width * s) / 2;
      const oy = (rect.height - layout.height * s) / 2;
      ctx.setTransform(dpr * s, 0, 0, dpr * s, dpr * ox, dpr * oy);
      const r = Math.max(2.5, layout.radius * 0.28);
      flights = flights.filter((f) => now - f.start < f.duration && allowed.has(f.m.kind));
      for (const f of flights) {
        const a = layout.positions.get(f.m.from);
        const b = layout.positions.get(f.m.to);
        if (!a || !b) continue;
        const p = (now - f.start) / f.duration;
        const lost = f.m.lost === true && p > 0.5;
        // From edge to edge, so dots never hide the nodes' letters.
        const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
        const edge = Math.min(layout.radius * 1.3, len / 3);
        const ux = (b.x - a.x) / len;
        const uy = (b.y - a.y) / len;
        const x = a.x + ux * edge + (b.x - a.x - 2 * ux * edge) * p;
        const y = a.y + uy * edge + (b.y - a.y - 2 * uy * edge) * p;
        ctx.globalAlpha = lost ? Math.max(0, 1 - (p - 0.5) * 2) : 0.95;
        ctx.fillStyle = lost ? '#dc2626' : KIND_COLOR[f.m.kind];
        ctx.beginPath();
        if (f.m.kind === 'append' || f.m.kind === 'snapshot') ctx.rect(x - r, y - r, r * 2, r * 2);
        else ctx.arc(x, y, r, 0, Math.PI * 2);
        ctx.fill();
        if (lost) {
          ctx.strokeStyle = '#dc2626';
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(x - r * 1.6, y - r * 1.6);
          ctx.lineTo(x + r * 1.6, y + r * 1.6);
          ctx.moveTo(x + r * 1.6, y - r * 1.6);
          ctx.lineTo(x - r * 1.6, y + r * 1.6);
          ctx.stroke();
        }
      }
      ctx.globalAlpha = 1;
    };
    raf = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(raf);
  }, [driver, layout]);
  return (
    <>
      <canvas ref={canvas} className="pointer-events-none absolute inset-0 h-full w-full" />
      <div ref={note} className="pointer-events-none absolute bottom-3 right-3 z-10 rounded-md bg-white/90 px-2 empty:hidden text-[11px] text-slate-600" data-testid="flight-sample" />
    </>
  );
}

function perSecond(count: number, ms: number): string {
  return Math.round((count * 1000) / ms).toLocaleString('en');
}

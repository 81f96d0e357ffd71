'use client';
import type { ClusterSnapshot } from '../sim-runner/index.ts';
import { ROLE_FILL } from './palette.ts';

/**
 * Vivaldi network coordinates on their first two dimensions: nodes that answer each other fast
 * end up close. With the lab's latencies, datacenters drift apart into clusters over a minute.
 */
export function CoordMap({ snap, selected, onSelect }: { snap: ClusterSnapshot; selected: string | undefined; onSelect: (id: string) => void }) {
  const pts = snap.nodes.filter((n) => n.coord);
  if (pts.length === 0) return <p className="p-3 text-xs text-slate-500">No coordinates yet.</p>;
  const xs = pts.map((n) => n.coord?.x ?? 0);
  const ys = pts.map((n) => n.coord?.y ?? 0);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  const span = Math.max(maxX - minX, maxY - minY, 1e-4);
  const W = 300;
  const pad = 18;
  const sx = (x: number) => pad + ((x - minX) / span) * (W - 2 * pad);
  const sy = (y: number) => pad + ((y - minY) / span) * (W - 2 * pad);
  const dcs = [...new Set(snap.nodes.map((n) => n.dc))];
  const hue = (dc: string) => (dcs.indexOf(dc) * 137) % 360;
  const r = pts.length > 200 ? 2 : 5;
  return (
    <svg viewBox={`0 0 ${W} ${W}`} className="h-full w-full" role="img" aria-label="Network coordinates" data-testid="coord-map">
      <rect x={0} y={0} width={W} height={W} fill="#fafafa" />
      <text x={W - 6} y={W - 6} textAnchor="end" fontSize={9} fill="#656a76">
        span {(span * 1000).toFixed(1)} ms
      </text>
      {pts.map((n) => (
        // biome-ignore lint/a11y/noStaticElementInteractions: a map dot is a shortcut; the topology has the accessible control
        <circle key={n.id} cx={sx(n.coord?.x ?? 0)} cy={sy(n.coord?.y ?? 0)} r={selected === n.id ? r + 3 : r} fill={n.server ? ROLE_FILL[n.role === 'down' ? 'down' : n.role] : `hsl(${hue(n.dc)} 45% 55%)`} stroke={selected === n.id ? '#0c0c0e' : '#fff'} strokeWidth={1} onClick={() => onSelect(n.id)}>
          <title>{`${n.id} (${n.dc}) x=${(n.coord?.x ?? 0).toFixed(4)} y=${(n.coord?.y ?? 0).toFixed(4)} h=${(n.coord?.height ?? 0).toFixed(4)}`}</title>
        </circle>
      ))}
    </svg>
  );
}

'use client';
import { useEffect, useRef } from 'react';
import type { ClusterSnapshot, NodeSnapshot } from '../sim-runner/index.ts';
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
  const fill = (n: NodeSnapshot) => (n.server ? ROLE_FILL[n.role === 'down' ? 'down' : n.role] : `hsl(${hue(n.dc)} 45% 55%)`);
  if (pts.length > 200) return <CoordCanvas pts={pts} x={sx} y={sy} fill={fill} r={r} span={span} size={W} selected={selected} />;
  return (
    <svg viewBox={`0 0 ${W} ${W}`} className="h-full w-full" role="img" aria-label="Network coordinates" data-testid="coord-map">
      <rect x={0} y={0} width={W} height={W} fill="#fafafa" />
      <text x={W - 6} y={W - 6} textAnchor="end" fontSize={9} fill="#656a76">
        span {(span * 1000).toFixed(1)} ms
      </text>
      {pts.map((n) => (
        // biome-ignore lint/a11y/noStaticElementInteractions: a map dot is a shortcut; the topology has the accessible control
        <circle key={n.id} cx={sx(n.coord?.x ?? 0)} cy={sy(n.coord?.y ?? 0)} r={selected === n.id ? r + 3 : r} fill={fill(n)} stroke={selected === n.id ? '#0c0c0e' : '#fff'} strokeWidth={1} onClick={() => onSelect(n.id)}>
          <title>{`${n.id} (${n.dc}) x=${(n.coord?.x ?? 0).toFixed(4)} y=${(n.coord?.y ?? 0).toFixed(4)} h=${(n.coord?.height ?? 0).toFixed(4)}`}</title>
        </circle>
      ))}
    </svg>
  );
}

/** The same map on a canvas for big clusters (hundreds of SVG circles with titles redraw too slowly). */
function CoordCanvas(props: { pts: NodeSnapshot[]; x: (v: number) => number; y: (v: number) => number; fill: (n: NodeSnapshot) => string; r: number; span: number; size: number; selected: string | undefined }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const { pts, x, y, fill, r, span, size, selected } = props;
    ctx.fillStyle = '#fafafa';
    ctx.fillRect(0, 0, size * 2, size * 2);
    ctx.setTransform(2, 0, 0, 2, 0, 0);
    const byColor = new Map<string, Path2D>();
    for (const n of pts) {
      const color = fill(n);
      let p = byColor.get(color);
      if (!p) {
        p = new Path2D();
        byColor.set(color, p);
      }
      const cx = x(n.coord?.x ?? 0);
      const cy = y(n.coord?.y ?? 0);
      p.moveTo(cx + r, cy);
      p.arc(cx, cy, r, 0, Math.PI * 2);
    }
    for (const [color, p] of byColor) {
      ctx.fillStyle = color;
      ctx.fill(p);
    }
    const sel = pts.find((n) => n.id === selected);
    if (sel) {
      ctx.strokeStyle = '#0c0c0e';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.arc(x(sel.coord?.x ?? 0), y(sel.coord?.y ?? 0), r + 3, 0, Math.PI * 2);
      ctx.stroke();
    }
    ctx.fillStyle = '#656a76';
    ctx.font = '9px sans-serif';
    ctx.textAlign = 'end';
    ctx.fillText(`span ${(span * 1000).toFixed(1)} ms`, size - 6, size - 6);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
  });
  return <canvas ref={ref} width={props.size * 2} height={props.size * 2} className="h-full w-full object-contain" role="img" aria-label={`Network coordinates of ${props.pts.length} nodes`} data-testid="coord-map" />;
}

'use client';
import { useEffect, useRef } from 'react';
import type { NodeSnapshot } from '../sim-runner/index.ts';
import type { TopologyLayout } from './layout.ts';
import { GOSSIP_RING, ROLE_FILL } from './palette.ts';

interface Props {
  nodes: NodeSnapshot[];
  layout: TopologyLayout;
  selected: string | undefined;
  onSelect: (id: string) => void;
}

/**
 * The nodes of a big cluster (more than 60) on one canvas instead of one SVG group each: with
 * 1,000 nodes, React reconciling 3,000 SVG elements four times a second cost more than the
 * simulation. Same encoding as the SVG glyphs: fill = Raft role, ring = gossip status, faded
 * with a cross when down, bars when paused, a dashed ring round the selected node. Clicking
 * selects the nearest node; hovering names it (the canvas's title).
 */
export function NodeCanvas({ nodes, layout, selected, onSelect }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    const view = fitToCanvas(el, layout);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, el.width, el.height);
    ctx.setTransform(view.dpr * view.s, 0, 0, view.dpr * view.s, view.dpr * view.ox, view.dpr * view.oy);
    drawNodes(ctx, nodes, layout, selected);
  });
  const nodeAt = (clientX: number, clientY: number): string | undefined => {
    const el = canvas.current;
    if (!el) return undefined;
    const rect = el.getBoundingClientRect();
    const { s, ox, oy } = fitToCanvas(el, layout, false);
    const x = (clientX - rect.left - ox) / s;
    const y = (clientY - rect.top - oy) / s;
    let best: string | undefined;
    let bestD = (layout.radius * 2.5) ** 2;
    for (const [id, p] of layout.positions) {
      const d = (p.x - x) ** 2 + (p.y - y) ** 2;
      if (d < bestD) {
        bestD = d;
        best = id;
      }
    }
    return best;
  };
  return (
    <canvas
      ref={canvas}
      className="absolute inset-0 h-full w-full cursor-pointer"
      role="img"
      aria-label={`${nodes.length} nodes; select one in the node panel or by clicking`}
      data-testid="node-canvas"
      data-nodes={nodes.length}
      onClick={(e) => {
        const id = nodeAt(e.clientX, e.clientY);
        if (id) onSelect(id);
      }}
      onMouseMove={(e) => {
        const el = e.currentTarget;
        const id = nodeAt(e.clientX, e.clientY);
        const n = id ? nodes.find((x) => x.id === id) : undefined;
        el.title = n ? `${n.id} (${n.dc}): ${n.status === 'up' ? n.role : n.status}, gossip ${n.gossip}` : '';
      }}
    />
  );
}

/** The SVG's `xMidYMid meet` mapping from layout space to the canvas, resizing the backing store when `resize`. */
function fitToCanvas(el: HTMLCanvasElement, layout: TopologyLayout, resize = true): { s: number; ox: number; oy: number; dpr: number } {
  const rect = el.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  if (resize && (el.width !== Math.round(rect.width * dpr) || el.height !== Math.round(rect.height * dpr))) {
    el.width = Math.round(rect.width * dpr);
    el.height = Math.round(rect.height * dpr);
  }
  const s = Math.min(rect.width / layout.width, rect.height / layout.height) || 1;
  return { s, ox: (rect.width - layout.width * s) / 2, oy: (rect.height - layout.height * s) / 2, dpr };
}

/** Draws every node, batching paths by colour so 1,000 nodes cost a handful of fills. */
function drawNodes(ctx: CanvasRenderingContext2D, nodes: NodeSnapshot[], layout: TopologyLayout, selected: string | undefined): void {
  const rings = new Map<string, Path2D>();
  const fills = new Map<string, Path2D>();
  const downFills = new Map<string, Path2D>();
  const crosses = new Path2D();
  const bars = new Path2D();
  const path = (m: Map<string, Path2D>, key: string): Path2D => {
    let p = m.get(key);
    if (!p) {
      p = new Path2D();
      m.set(key, p);
    }
    return p;
  };
  for (const n of nodes) {
    const p = layout.positions.get(n.id);
    if (!p) continue;
    const r = n.server ? layout.radius * 1.15 : layout.radius * 0.85;
    const down = n.status === 'crashed' || n.status === 'stopped';
    const ring = path(rings, GOSSIP_RING[n.gossip]);
    ring.moveTo(p.x + r + 1.5, p.y);
    ring.arc(p.x, p.y, r + 1.5, 0, Math.PI * 2);
    const fill = path(down ? downFills : fills, down ? ROLE_FILL.down : ROLE_FILL[n.role]);
    fill.moveTo(p.x + r, p.y);
    fill.arc(p.x, p.y, r, 0, Math.PI * 2);
    if (down) {
      crosses.moveTo(p.x - r, p.y - r);
      crosses.lineTo(p.x + r, p.y + r);
      crosses.moveTo(p.x + r, p.y - r);
      crosses.lineTo(p.x - r, p.y + r);
    }
    if (n.status === 'paused') {
      bars.rect(p.x - r * 0.35, p.y - r * 0.45, r * 0.22, r * 0.9);
      bars.rect(p.x + r * 0.13, p.y - r * 0.45, r * 0.22, r * 0.9);
    }
  }
  ctx.lineWidth = 2;
  for (const [color, p] of rings) {
    ctx.strokeStyle = color;
    ctx.stroke(p);
  }
  for (const [color, p] of fills) {
    ctx.fillStyle = color;
    ctx.fill(p);
  }
  ctx.globalAlpha = 0.55;
  for (const [color, p] of downFills) {
    ctx.fillStyle = color;
    ctx.fill(p);
  }
  ctx.globalAlpha = 1;
  ctx.strokeStyle = '#c00005';
  ctx.lineWidth = 1.5;
  ctx.stroke(crosses);
  ctx.fillStyle = '#0c0c0e';
  ctx.fill(bars);
  const sel = selected ? layout.positions.get(selected) : undefined;
  if (sel) {
    ctx.setLineDash([4, 3]);
    ctx.strokeStyle = '#0c0c0e';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(sel.x, sel.y, layout.radius * 1.15 + 7, 0, Math.PI * 2);
    ctx.stroke();
    ctx.setLineDash([]);
  }
}

'use client';
import type { ClusterSnapshot, FaultState, LabDriver, MessageKind, NodeSnapshot } from '../sim-runner/index.ts';
import type { TopologyLayout } from './layout.ts';
import { MessageLayer } from './message-layer.tsx';
import { NodeCanvas } from './node-canvas.tsx';
import { GOSSIP_RING, ROLE_FILL } from './palette.ts';

const GROUP_TINT = ['#1060ff', '#e03875', '#0d9488', '#f59e0b', '#7c3aed'];

interface Props {
  driver: LabDriver;
  snap: ClusterSnapshot;
  layout: TopologyLayout;
  faults: FaultState;
  kinds: ReadonlySet<MessageKind>;
  selected: string | undefined;
  onSelect: (id: string) => void;
}

/**
 * The cluster drawn as datacenters of nodes: fill = Raft role, ring = gossip status (the worst
 * view any live peer holds), faded when down, bars when paused. Cut links are red dashes (an
 * arrow when one-way), lossy links amber dots; partition groups tint the node labels. Beyond 60
 * nodes the nodes go on a canvas (NodeCanvas) and the SVG keeps the datacenters and links.
 */
export function Topology({ driver, snap, layout, faults, kinds, selected, onSelect }: Props) {
  const groupOf = new Map<string, number>();
  faults.groups.forEach((g, i) => {
    for (const id of g) groupOf.set(id, i);
  });
  const big = snap.nodes.length > 60;
  // Big clusters draw their nodes on a canvas (one SVG group per node is too slow at 1,000).
  const onCanvas = big;
  return (
    <div className="relative h-full w-full" data-testid="topology">
      <svg viewBox={`0 0 ${layout.width} ${layout.height}`} className="h-full w-full select-none" role="img" aria-label="Cluster topology">
        <defs>
          <marker id="lab-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#dc2626" />
          </marker>
        </defs>
        {layout.boxes.map((b) => {
          const leader = snap.leaders[b.dc];
          const term = snap.nodes.find((n) => n.id === leader)?.term;
          return (
            <g key={b.dc}>
              <rect x={b.x} y={b.y} width={b.w} height={b.h} rx={18} fill="#ffffff" stroke="#dedfe3" strokeWidth={1.5} />
              <text x={b.x + 18} y={b.y + 30} className="fill-slate-900" fontSize={18} fontWeight={600}>
                {b.dc}
              </text>
              <text x={b.x + b.w - 18} y={b.y + 30} textAnchor="end" fontSize={14} fill={leader ? '#e03875' : '#9e4b00'} data-testid={`dc-leader-${b.dc}`}>
                {leader ? `leader ${leader} · term ${term}` : 'no leader'}
              </text>
            </g>
          );
        })}
        {faults.links.length <= 60 &&
          faults.links.map((l) => {
            const a = layout.positions.get(l.from);
            const b = layout.positions.get(l.to);
            if (!a || !b || (l.loss === 0 && l.latencyMs === undefined)) return null;
            return <line key={`l-${l.from}-${l.to}`} x1={a.x} y1={a.y} x2={b.x} y2={b.y} stroke="#f59e0b" strokeWidth={2} strokeDasharray="2 5" strokeLinecap="round" />;
          })}
        {faults.cuts.map((c) => {
          const a = layout.positions.get(c.from);
          const b = layout.positions.get(c.to);
          if (!a || !b) return null;
          const mx = (a.x + b.x) / 2;
          const my = (a.y + b.y) / 2;
          return (
            <g key={`c-${c.from}-${c.to}-${c.oneWay}`}>
              <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} stroke="#dc2626" strokeWidth={2} strokeDasharray="7 5" markerEnd={c.oneWay ? 'url(#lab-arrow)' : undefined} />
              <text x={mx} y={my + 5} textAnchor="middle" fontSize={16} fill="#dc2626" fontWeight={700}>
                ✕
              </text>
            </g>
          );
        })}
        {!onCanvas && snap.nodes.map((n) => <NodeGlyph key={n.id} n={n} layout={layout} selected={selected === n.id} group={groupOf.get(n.id)} big={big} onSelect={onSelect} />)}
      </svg>
      {onCanvas && <NodeCanvas nodes={snap.nodes} layout={layout} selected={selected} onSelect={onSelect} />}
      <MessageLayer driver={driver} layout={layout} kinds={kinds} />
    </div>
  );
}

function NodeGlyph({ n, layout, selected, group, big, onSelect }: { n: NodeSnapshot; layout: TopologyLayout; selected: boolean; group: number | undefined; big: boolean; onSelect: (id: string) => void }) {
  const p = layout.positions.get(n.id);
  if (!p) return null;
  const r = n.server ? layout.radius * 1.15 : layout.radius * 0.85;
  const down = n.status === 'crashed' || n.status === 'stopped';
  const fill = down ? ROLE_FILL.down : ROLE_FILL[n.role];
  const letter = n.role === 'leader' ? 'L' : n.role === 'candidate' ? 'C' : n.role === 'follower' ? 'F' : '';
  return (
    // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>
    <g
      role="button"
      tabIndex={0}
      aria-label={`node ${n.id}: ${down ? n.status : n.role}`}
      data-node={n.id}
      data-role={down ? 'down' : n.role}
      data-status={n.status}
      data-gossip={n.gossip}
      className="cursor-pointer outline-none"
      onClick={() => onSelect(n.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') onSelect(n.id);
      }}
      opacity={down ? 0.55 : 1}
    >
      {selected && <circle cx={p.x} cy={p.y} r={r + 9} fill="none" stroke="#0c0c0e" strokeWidth={2} strokeDasharray="4 3" />}
      <circle cx={p.x} cy={p.y} r={r + (big ? 1.5 : 4)} fill="none" stroke={GOSSIP_RING[n.gossip]} strokeWidth={big ? 2 : 4} />
      <circle cx={p.x} cy={p.y} r={r} fill={fill} />
      {!big && letter && (
        <text x={p.x} y={p.y + 6} textAnchor="middle" fontSize={17} fontWeight={700} fill="#fff">
          {letter}
        </text>
      )}
      {down && (
        <text x={p.x} y={p.y + 6} textAnchor="middle" fontSize={big ? 10 : 18} fontWeight={700} fill="#c00005">
          ✕
        </text>
      )}
      {n.status === 'paused' && (
        <g fill="#0c0c0e">
          <rect x={p.x - r * 0.35} y={p.y - r * 0.45} width={r * 0.22} height={r * 0.9} />
          <rect x={p.x + r * 0.13} y={p.y - r * 0.45} width={r * 0.22} height={r * 0.9} />
        </g>
      )}
      {!big && (
        <>
          <text x={p.x} y={p.y + r + 18} textAnchor="middle" fontSize={13} fontWeight={600} fill={group !== undefined ? GROUP_TINT[group % GROUP_TINT.length] : '#0c0c0e'}>
            {n.id}
            {group !== undefined ? ` [${String.fromCharCode(65 + group)}]` : ''}
          </text>
          {n.server && (
            <text x={p.x} y={p.y + r + 33} textAnchor="middle" fontSize={11} fill="#656a76" fontFamily="ui-monospace, monospace">
              {`t${n.term} c${n.commit}/${n.lastIndex}`}
            </text>
          )}
        </>
      )}
    </g>
  );
}

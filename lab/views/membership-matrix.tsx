'use client';
import type { LabRunner } from '../sim-runner/index.ts';
import { GOSSIP_RING } from './palette.ts';

/**
 * Who sees whom as what: one row per observer, one column per member. Gossip is eventually
 * consistent, so during suspicion or a partition the rows disagree, and that disagreement is the
 * point of this view.
 */
export function MembershipMatrix({ runner, dc }: { runner: LabRunner; dc: string }) {
  const size = runner.nodes.filter((n) => n.dc === dc).length;
  if (size > 16) return <p className="p-3 text-xs text-slate-500">{dc} has {size} nodes: select a node to see its own view.</p>;
  const { nodes, cells } = runner.membershipMatrix(dc);
  return (
    <table className="mx-auto border-separate border-spacing-0.5 text-[10px]" data-testid={`matrix-${dc}`}>
      <thead>
        <tr>
          <th className="pr-1 text-right font-normal text-slate-400">sees →</th>
          {nodes.map((t) => (
            <th key={t} className="px-0.5 font-mono font-normal text-slate-600">
              {t}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {nodes.map((o, i) => (
          <tr key={o}>
            <th className="pr-1 text-right font-mono font-normal text-slate-600">{o}</th>
            {nodes.map((t, j) => {
              const s = cells[i]?.[j];
              return <td key={t} title={`${o} sees ${t}: ${s ?? 'unknown / down'}`} className="h-4 w-6 rounded-sm" style={{ background: s ? GOSSIP_RING[s] : '#e5e7eb', opacity: s === 'alive' ? 0.55 : 1 }} />;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

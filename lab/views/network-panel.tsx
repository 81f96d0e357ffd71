'use client';
import { useState } from 'react';
import type { LabRunner } from '../sim-runner/index.ts';
import { Button, Section } from './ui.tsx';

const GROUPS = ['A', 'B', 'C'];
const TINT = ['border-blue-300 bg-blue-50', 'border-pink-300 bg-pink-50', 'border-teal-300 bg-teal-50'];

/**
 * Network faults: drag nodes (or whole datacenters, in big clusters) into partition groups and
 * apply; cut single links both ways or one way; set loss and latency on a link or a datacenter.
 */
export function NetworkPanel({ runner, selected }: { runner: LabRunner; selected: string | undefined }) {
  return (
    <div className="flex flex-col gap-3">
      <PartitionBoard runner={runner} />
      <LinkBox runner={runner} selected={selected} />
      <DatacenterBox runner={runner} />
    </div>
  );
}

function PartitionBoard({ runner }: { runner: LabRunner }) {
  const byDc = runner.nodes.length > 40;
  const units = byDc ? runner.spec.datacenters.map((d) => d.name) : runner.nodes.map((n) => n.id);
  const [groupOf, setGroupOf] = useState<Record<string, number>>({});
  const [dragging, setDragging] = useState<string | undefined>();
  const move = (unit: string, g: number) => setGroupOf((m) => ({ ...m, [unit]: g }));
  const apply = () => {
    const groups: string[][] = GROUPS.map(() => []);
    for (const n of runner.nodes) {
      const g = groupOf[byDc ? n.dc : n.id] ?? 0;
      groups[g]?.push(n.id);
    }
    const nonEmpty = groups.filter((g) => g.length > 0);
    if (nonEmpty.length < 2) return;
    runner.partition(nonEmpty);
  };
  return (
    <Section
      title="Partition"
      right={
        <div className="flex gap-1.5">
          <Button tone="primary" onClick={apply} testId="apply-partition">
            Apply
          </Button>
          <Button
            onClick={() => {
              runner.heal();
              setGroupOf({});
            }}
            testId="heal"
          >
            Heal
          </Button>
        </div>
      }
    >
      <p className="mb-2 text-[11px] text-slate-500">Drag {byDc ? 'datacenters' : 'nodes'} between groups (or click one to move it to the next group), then Apply. Groups cannot reach each other.</p>
      <div className="grid grid-cols-3 gap-2">
        {GROUPS.map((name, g) => (
          // biome-ignore lint/a11y/noStaticElementInteractions: drop zone; chips are also clickable
          <div
            key={name}
            data-testid={`group-${name}`}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              const unit = e.dataTransfer.getData('text/plain') || dragging;
              if (unit) move(unit, g);
              setDragging(undefined);
            }}
            className={`min-h-20 rounded-md border-2 border-dashed p-1.5 ${TINT[g]}`}
          >
            <div className="mb-1 text-[10px] font-bold text-slate-500">group {name}</div>
            <div className="flex flex-wrap gap-1">
              {units
                .filter((u) => (groupOf[u] ?? 0) === g)
                .map((u) => (
                  <button
                    type="button"
                    key={u}
                    draggable
                    data-chip={u}
                    onDragStart={(e) => {
                      e.dataTransfer.setData('text/plain', u);
                      setDragging(u);
                    }}
                    onClick={() => move(u, ((groupOf[u] ?? 0) + 1) % GROUPS.length)}
                    className="cursor-grab rounded border border-slate-300 bg-white px-1.5 py-0.5 font-mono text-[11px] shadow-sm active:cursor-grabbing"
                  >
                    {u}
                  </button>
                ))}
            </div>
          </div>
        ))}
      </div>
    </Section>
  );
}

function NodeSelect({ runner, value, onChange, label }: { runner: LabRunner; value: string; onChange: (v: string) => void; label: string }) {
  return (
    <label className="flex flex-col gap-0.5 text-[11px] text-slate-500">
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)} className="rounded-md border border-slate-300 bg-white px-1.5 py-1 font-mono text-xs text-slate-900">
        {runner.nodes.map((n) => (
          <option key={n.id} value={n.id}>
            {n.id}
          </option>
        ))}
      </select>
    </label>
  );
}

function LinkBox({ runner, selected }: { runner: LabRunner; selected: string | undefined }) {
  const first = runner.nodes[0]?.id ?? '';
  const second = runner.nodes[1]?.id ?? first;
  const [from, setFrom] = useState(selected ?? first);
  const [to, setTo] = useState(second);
  const [oneWay, setOneWay] = useState(false);
  const [loss, setLoss] = useState('30');
  const [latency, setLatency] = useState('');
  const [error, setError] = useState('');
  const guard = (f: () => void) => {
    try {
      setError('');
      f();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Section title="Link">
      <div className="flex flex-wrap items-end gap-2">
        <NodeSelect runner={runner} value={from} onChange={setFrom} label="From" />
        <NodeSelect runner={runner} value={to} onChange={setTo} label="To" />
        <label className="flex items-center gap-1 pb-1.5 text-xs text-slate-600">
          <input type="checkbox" checked={oneWay} onChange={(e) => setOneWay(e.target.checked)} /> one way
        </label>
        <Button tone="danger" disabled={from === to} onClick={() => guard(() => runner.cut(from, to, oneWay))} testId="cut-link">
          Cut
        </Button>
      </div>
      <div className="mt-2 flex flex-wrap items-end gap-2">
        <label className="flex flex-col gap-0.5 text-[11px] text-slate-500">
          Loss %
          <input value={loss} onChange={(e) => setLoss(e.target.value)} className="w-16 rounded-md border border-slate-300 px-1.5 py-1 font-mono text-xs" />
        </label>
        <label className="flex flex-col gap-0.5 text-[11px] text-slate-500">
          Latency ms
          <input value={latency} placeholder="same" onChange={(e) => setLatency(e.target.value)} className="w-20 rounded-md border border-slate-300 px-1.5 py-1 font-mono text-xs" />
        </label>
        <Button disabled={from === to} onClick={() => guard(() => runner.setLink(from, to, Number(loss) / 100, latency === '' ? undefined : Number(latency), oneWay))}>
          Set link
        </Button>
        <Button onClick={() => guard(() => runner.clearLinks())}>Reset links</Button>
      </div>
      {error && <p className="mt-1 text-xs text-red-700">{error}</p>}
    </Section>
  );
}

function DatacenterBox({ runner }: { runner: LabRunner }) {
  const dcs = runner.spec.datacenters.map((d) => d.name);
  const [a, setA] = useState(dcs[0] ?? 'dc1');
  const [b, setB] = useState(dcs[0] ?? 'dc1');
  const [loss, setLoss] = useState('10');
  const [latency, setLatency] = useState('');
  const [error, setError] = useState('');
  const sel = (v: string, set: (v: string) => void, label: string) => (
    <label className="flex flex-col gap-0.5 text-[11px] text-slate-500">
      {label}
      <select value={v} onChange={(e) => set(e.target.value)} className="rounded-md border border-slate-300 bg-white px-1.5 py-1 font-mono text-xs text-slate-900">
        {dcs.map((d) => (
          <option key={d}>{d}</option>
        ))}
      </select>
    </label>
  );
  return (
    <Section title="Datacenter links">
      <div className="flex flex-wrap items-end gap-2">
        {sel(a, setA, 'Between')}
        {sel(b, setB, 'and')}
        <label className="flex flex-col gap-0.5 text-[11px] text-slate-500">
          Loss %
          <input value={loss} onChange={(e) => setLoss(e.target.value)} className="w-16 rounded-md border border-slate-300 px-1.5 py-1 font-mono text-xs" />
        </label>
        <label className="flex flex-col gap-0.5 text-[11px] text-slate-500">
          Latency ms
          <input value={latency} placeholder="same" onChange={(e) => setLatency(e.target.value)} className="w-20 rounded-md border border-slate-300 px-1.5 py-1 font-mono text-xs" />
        </label>
        <Button
          onClick={() => {
            try {
              setError('');
              runner.setDatacenterLink(a, b, Number(loss) / 100, latency === '' ? undefined : Number(latency));
            } catch (e) {
              setError((e as Error).message);
            }
          }}
        >
          Apply
        </Button>
      </div>
      <p className="mt-1 text-[11px] text-slate-500">The same datacenter twice sets every link inside it.</p>
      {error && <p className="mt-1 text-xs text-red-700">{error}</p>}
    </Section>
  );
}

'use client';
import { useState } from 'react';
import type { KvReadResult, LabRunner, NodeDetail, ReadMode } from '../sim-runner/index.ts';
import { GOSSIP_RING, KIND_COLOR, ROLE_FILL } from './palette.ts';
import { Button, Field, Section } from './ui.tsx';

/** Everything about one node: its state, actions on it, requests through it, its log and its view of the cluster. */
export function NodePanel({ runner, id }: { runner: LabRunner; id: string }) {
  const d = runner.detail(id);
  const down = d.status === 'crashed' || d.status === 'stopped';
  return (
    <div className="flex flex-col gap-3" data-testid="node-panel" data-node={id}>
      <div className="flex items-center gap-3">
        <span className="inline-block h-4 w-4 rounded-full ring-4" style={{ background: down ? ROLE_FILL.down : ROLE_FILL[d.role], boxShadow: `0 0 0 3px ${GOSSIP_RING[d.gossip]}` }} />
        <h2 className="text-lg font-semibold">{d.id}</h2>
        <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-600">{d.dc}</span>
        <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-600">{d.server ? 'server' : 'client'}</span>
        <span className={`ml-auto rounded px-2 py-0.5 text-xs font-semibold ${down ? 'bg-red-50 text-red-700' : d.status === 'paused' ? 'bg-amber-50 text-amber-800' : 'bg-emerald-50 text-emerald-800'}`} data-testid="node-status">
          {d.status}
        </span>
      </div>
      {d.server && (
        <dl className="grid grid-cols-4 gap-2 text-center text-xs">
          <Stat label="role" value={down ? '—' : d.role} />
          <Stat label="term" value={d.term} />
          <Stat label="commit" value={d.commit} />
          <Stat label="last index" value={d.lastIndex} />
        </dl>
      )}
      <div className="flex flex-wrap gap-2">
        <Button tone="danger" disabled={down} onClick={() => runner.kill(id, true)} title="Power cut: the process dies and writes not yet synced to disk are lost">
          Kill (lose unsynced)
        </Button>
        <Button tone="danger" disabled={down} onClick={() => runner.kill(id, false)} title="The process dies; every write already made reaches the disk">
          Kill (keep disk)
        </Button>
        <Button disabled={!down} onClick={() => runner.restart(id)}>
          Restart
        </Button>
        {d.status === 'paused' ? <Button onClick={() => runner.resumeNode(id)}>Resume</Button> : <Button disabled={d.status !== 'up'} onClick={() => runner.pauseNode(id)}>Pause</Button>}
      </div>
      <KvBox runner={runner} id={id} />
      <ServiceBox runner={runner} id={id} />
      {d.server && <RaftLog d={d} />}
      <Members d={d} />
      <RecentMessages runner={runner} id={id} />
    </div>
  );
}

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="rounded-md border border-slate-200 bg-white px-2 py-1.5">
      <dt className="text-[10px] uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="font-mono text-sm font-semibold">{value}</dd>
    </div>
  );
}

function KvBox({ runner, id }: { runner: LabRunner; id: string }) {
  const [key, setKey] = useState('greeting');
  const [value, setValue] = useState('hello');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ kind: 'write'; ok: boolean; text: string } | ({ kind: 'read'; mode: ReadMode } & KvReadResult) | undefined>();
  const write = async () => {
    setBusy(true);
    const r = await runner.kvPut(id, key, value);
    setResult({ kind: 'write', ok: r.ok, text: r.ok ? 'written (committed by a majority)' : `${r.status} ${r.text.trim()}` });
    setBusy(false);
  };
  const read = async (mode: ReadMode) => {
    setBusy(true);
    const r = await runner.kvGet(id, key, mode);
    setResult({ kind: 'read', mode, ...r });
    setBusy(false);
  };
  return (
    <Section title="Key/value through this node">
      <div className="flex gap-2">
        <Field label="Key" value={key} onChange={setKey} />
        <Field label="Value" value={value} onChange={setValue} />
      </div>
      <div className="mt-2 flex flex-wrap gap-2">
        <Button tone="primary" disabled={busy || !key} onClick={write}>
          Write
        </Button>
        <Button disabled={busy || !key} onClick={() => read('default')} title="Served by the leader (forwarded there)">
          Read default
        </Button>
        <Button disabled={busy || !key} onClick={() => read('consistent')} title="The leader first confirms with a quorum that it still leads">
          Read consistent
        </Button>
        <Button disabled={busy || !key} onClick={() => read('stale')} title="Any server answers from its own copy, however old">
          Read stale
        </Button>
      </div>
      {busy && <p className="mt-2 text-xs text-slate-500">waiting for the cluster…</p>}
      {result && !busy && (
        <div className="mt-2 rounded-md border border-slate-200 bg-slate-50 p-2 text-xs" data-testid="kv-result">
          {result.kind === 'write' ? (
            <span className={result.ok ? 'text-emerald-700' : 'text-red-700'}>{result.text}</span>
          ) : (
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <span className="font-semibold">{result.mode} read:</span>
              <span className="font-mono">{result.status === 200 ? `"${result.value}"` : result.status === 404 ? 'not found' : `${result.status} ${result.error ?? ''}`}</span>
              <span>index {result.index}</span>
              <span>known leader: {String(result.knownLeader)}</span>
              <span>last contact {result.lastContactMs} ms</span>
              {result.staleComparedToLeader && <span className="rounded bg-red-600 px-1.5 py-0.5 font-bold text-white" data-testid="stale-badge">STALE — the leader has a newer value</span>}
            </div>
          )}
        </div>
      )}
    </Section>
  );
}

function ServiceBox({ runner, id }: { runner: LabRunner; id: string }) {
  const [name, setName] = useState('web');
  const [port, setPort] = useState('8080');
  const [ttl, setTtl] = useState(true);
  const [event, setEvent] = useState('deploy');
  const [note, setNote] = useState('');
  return (
    <Section title="Services and events">
      <div className="flex items-end gap-2">
        <Field label="Service" value={name} onChange={setName} />
        <Field label="Port" value={port} onChange={setPort} width="w-20" />
        <label className="flex items-center gap-1 pb-2 text-xs text-slate-600">
          <input type="checkbox" checked={ttl} onChange={(e) => setTtl(e.target.checked)} /> TTL check
        </label>
        <Button
          onClick={async () => {
            const r = await runner.registerService(id, name, Number(port) || 0, ttl);
            setNote(r.status === 200 ? `registered ${name} on ${id}; anti-entropy syncs it to the catalog` : `${r.status} ${r.text}`);
          }}
        >
          Register
        </Button>
      </div>
      <div className="mt-2 flex items-end gap-2">
        <Field label="Event" value={event} onChange={setEvent} />
        <Button
          onClick={async () => {
            const r = await runner.fireEvent(id, event);
            setNote(r.status === 200 ? `fired "${event}": watch it spread by gossip in the timeline` : `${r.status} ${r.text}`);
          }}
        >
          Fire event
        </Button>
      </div>
      {note && <p className="mt-2 text-xs text-slate-600">{note}</p>}
    </Section>
  );
}

function RaftLog({ d }: { d: NodeDetail }) {
  return (
    <Section title={`Raft log (${d.firstIndex > 1 ? `compacted up to ${d.firstIndex - 1}, ` : ''}last ${d.log.length} entries)`}>
      <ol className="max-h-56 overflow-auto rounded-md border border-slate-200 font-mono text-[11px]" data-testid="raft-log">
        {d.log.length === 0 && <li className="p-2 text-slate-500">empty</li>}
        {[...d.log].reverse().map((e) => (
          <li
            key={e.index}
            className={`flex gap-2 border-b border-slate-100 px-2 py-0.5 ${e.committed ? 'bg-emerald-50' : 'bg-[repeating-linear-gradient(45deg,#fff9e8,#fff9e8_6px,#fdf0cc_6px,#fdf0cc_12px)]'}`}
            data-committed={e.committed}
          >
            <span className="w-8 text-right text-slate-500">{e.index}</span>
            <span className="w-8 text-slate-500">t{e.term}</span>
            <span className="truncate">{e.label}</span>
            <span className={`ml-auto ${e.committed ? 'text-emerald-700' : 'text-amber-700'}`}>{e.committed ? 'committed' : 'uncommitted'}</span>
          </li>
        ))}
      </ol>
      {d.progress.length > 0 && (
        <div className="mt-2 flex flex-wrap gap-2 text-[11px]">
          {d.progress.map((p) => (
            <span key={p.node} className="rounded border border-slate-200 bg-white px-1.5 py-0.5 font-mono">
              {p.node}: match {p.match} next {p.next}
            </span>
          ))}
        </div>
      )}
    </Section>
  );
}

function Members({ d }: { d: NodeDetail }) {
  return (
    <Section title={`${d.id}'s view of the membership`}>
      <div className="flex flex-wrap gap-1.5" data-testid="members">
        {d.members.map((m) => (
          <span key={m.name} className="inline-flex items-center gap-1 rounded-full border border-slate-200 bg-white px-2 py-0.5 text-[11px]" title={`incarnation ${m.incarnation}, serf ${m.serfStatus}`}>
            <span className="h-2 w-2 rounded-full" style={{ background: GOSSIP_RING[m.status] }} />
            {m.name}
            {m.status !== 'alive' && <span className="font-semibold">{m.status}</span>}
          </span>
        ))}
        {d.members.length === 0 && <span className="text-xs text-slate-500">not running</span>}
      </div>
      {d.wanMembers.length > 0 && (
        <div className="mt-2 flex flex-wrap gap-1.5">
          <span className="text-[11px] text-slate-500">WAN:</span>
          {d.wanMembers.map((m) => (
            <span key={m.name} className="inline-flex items-center gap-1 rounded-full border border-slate-200 bg-white px-2 py-0.5 text-[11px]">
              <span className="h-2 w-2 rounded-full" style={{ background: GOSSIP_RING[m.status] }} />
              {m.name}
            </span>
          ))}
        </div>
      )}
      {d.services.length > 0 && <p className="mt-2 text-[11px] text-slate-600">services: {d.services.join(', ')}</p>}
    </Section>
  );
}

function RecentMessages({ runner, id }: { runner: LabRunner; id: string }) {
  const recent = runner.tap
    .since(runner.tap.lastSeq - 1500)
    .filter((m) => m.from === id || m.to === id)
    .slice(-14)
    .reverse();
  return (
    <Section title={`Latest messages of ${id}`}>
      <ol className="font-mono text-[11px]" data-testid="recent-messages">
        {recent.length === 0 && <li className="text-slate-500">none yet</li>}
        {recent.map((m) => (
          <li key={m.seq} className="flex items-center gap-2 border-b border-slate-100 py-0.5">
            <span className="w-14 shrink-0 text-right text-slate-400">{(m.sentAt / 1000).toFixed(3)}</span>
            <span className="h-2 w-2 shrink-0 rounded-full" style={{ background: KIND_COLOR[m.kind] }} />
            <span className="w-28 shrink-0 truncate">{m.from === id ? `→ ${m.to}` : `← ${m.from}`}</span>
            <span className="truncate text-slate-700">{m.label}</span>
            <span className={`ml-auto shrink-0 ${m.lost ? 'text-red-600' : m.doneAt === undefined ? 'text-amber-600' : 'text-slate-400'}`}>
              {m.lost ? 'lost' : m.doneAt === undefined ? 'in flight' : `${(m.doneAt - m.sentAt).toFixed(1)} ms`}
            </span>
          </li>
        ))}
      </ol>
    </Section>
  );
}

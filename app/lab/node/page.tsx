'use client';
/**
 * /lab/node?name=s1&server=1&bootstrap_expect=3: this tab is one Consul node (lab/node/tab-node.ts)
 * on real time, connected to the other tabs of its room over WebRTC. The page shows its Raft and
 * gossip state, the KV store with a write/read form, the Raft log tail, and the links to the
 * other tabs with cut/heal buttons. Machine-readable state: data-* attributes here and
 * `window.__consulNode` (lab/node/tab-controller.ts).
 */
import { type FormEvent, useEffect, useState } from 'react';
import { type ConsulNodeHandle, startTabController } from '../../../lab/node/tab-controller.ts';
import type { ReadMode } from '../../../lab/node/tab-node.ts';

let running: ConsulNodeHandle | undefined;

export default function LabNodePage() {
  const [, setTick] = useState(0);
  const [handle, setHandle] = useState<ConsulNodeHandle | undefined>(undefined);
  useEffect(() => {
    // One node per page load, even if React mounts the page twice (strict mode in development).
    running ??= startTabController(window.location.search, window.location.origin, () => setTick((t) => t + 1));
    setHandle(running);
    const stop = () => running?.stop();
    window.addEventListener('pagehide', stop);
    return () => window.removeEventListener('pagehide', stop);
  }, []);
  if (!handle) return <p>Starting…</p>;
  return <NodeView h={handle} />;
}

function NodeView({ h }: { h: ConsulNodeHandle }) {
  const s = h.state;
  const o = h.options;
  return (
    <main data-testid="lab-node" data-status={h.status} data-name={o?.name ?? ''} data-role={s?.role ?? ''} data-leader={s?.leader ?? ''} data-term={s?.term ?? 0} data-commit-index={s?.commitIndex ?? 0}>
      <h1>
        {o?.name ?? 'lab node'} <span className={`badge ${s?.role ?? ''}`}>{s?.role ?? h.status}</span>
      </h1>
      {h.status === 'failed' && (
        <p role="alert" className="error">
          {h.error}
        </p>
      )}
      <div className="facts muted">
        <span>datacenter {o?.dc}</span>
        <span>host {o?.host}</span>
        <span>room {o?.room}</span>
        <span>term {s?.term ?? 0}</span>
        <span>
          leader <b data-testid="leader">{s?.leader || 'none'}</b>
        </span>
        <span>commit {s?.commitIndex ?? 0}</span>
        <span>applied {s?.appliedIndex ?? 0}</span>
        <span>status {h.status}</span>
        <button type="button" disabled={h.status !== 'running'} onClick={() => void h.restart()}>
          Crash and restart
        </button>
      </div>
      {s && (
        <div className="grid">
          <Members s={s} />
          {s.wanMembers.length > 0 && <WanMembers s={s} />}
          <Peers h={h} />
          <Kv h={h} />
          <RaftLog s={s} />
          <section>
            <h2>Log</h2>
            <pre data-testid="log-lines">{s.logs.join('\n')}</pre>
          </section>
        </div>
      )}
    </main>
  );
}

type State = NonNullable<ConsulNodeHandle['state']>;

function Members({ s }: { s: State }) {
  return (
    <section aria-label="Members">
      <h2>Members (gossip view)</h2>
      <table>
        <tbody>
          {s.members.map((m) => (
            <tr key={m.name} data-member={m.name} data-status={m.status}>
              <td>{m.name}</td>
              <td className="muted">{m.addr}</td>
              <td>{m.role}</td>
              <td>
                <span className={`badge ${m.status}`}>{m.status}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function WanMembers({ s }: { s: State }) {
  return (
    <section aria-label="WAN members">
      <h2>
        WAN pool <span className="muted">({s.datacenters.join(', ')})</span>
      </h2>
      <table>
        <tbody>
          {s.wanMembers.map((m) => (
            <tr key={m.name} data-wan-member={m.name} data-status={m.status}>
              <td>{m.name}</td>
              <td className="muted">{m.addr}</td>
              <td>
                <span className={`badge ${m.status}`}>{m.status}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Peers({ h }: { h: ConsulNodeHandle }) {
  const s = h.state!;
  const cutOf = (host: string) => s.cuts.find((c) => c.host === host);
  return (
    <section aria-label="Links">
      <h2>Links to other tabs</h2>
      <table>
        <tbody>
          {s.peers.map((p) => {
            const c = cutOf(p.host);
            return (
              <tr key={p.name} data-peer={p.name} data-path={p.path} data-cut={c ? (c.in ? 'both' : 'out') : ''}>
                <td>{p.name}</td>
                <td>
                  <span className={`badge ${p.path}`}>{p.path === 'rtc' ? 'WebRTC' : p.path}</span> {c && <span className="badge cut">{c.in ? 'cut' : 'cut →'}</span>}
                </td>
                <td>
                  <button type="button" onClick={() => h.cut(p.name)}>
                    cut
                  </button>{' '}
                  <button type="button" onClick={() => h.cut(p.name, { oneWay: true })}>
                    cut →
                  </button>{' '}
                  <button type="button" onClick={() => h.heal(p.name)}>
                    heal
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {s.peers.length === 0 && <p className="muted">No other tab yet: open /lab/node?name=… in another tab.</p>}
    </section>
  );
}

function Kv({ h }: { h: ConsulNodeHandle }) {
  const s = h.state!;
  const [key, setKey] = useState('hello');
  const [value, setValue] = useState('world');
  const [mode, setMode] = useState<ReadMode>('default');
  const [result, setResult] = useState('');
  const [dc, setDc] = useState('');
  const write = (e: FormEvent) => {
    e.preventDefault();
    h.put(key, value).then(
      (ok) => setResult(ok ? `PUT ${key}: ok` : `PUT ${key}: not applied`),
      (err: Error) => setResult(err.message),
    );
  };
  const read = () => {
    h.get(key, mode, dc).then(
      (r) => setResult(r ? `GET ${key} (${mode}${dc ? `, ${dc}` : ''}) = ${JSON.stringify(r.value)} at index ${r.index}${r.knownLeader ? '' : ', no known leader'}${r.lastContactMs ? `, last contact ${r.lastContactMs} ms` : ''}` : `GET ${key} (${mode}): not found`),
      (err: Error) => setResult(err.message),
    );
  };
  return (
    <section aria-label="Key/value">
      <h2>Key/value</h2>
      <form onSubmit={write}>
        <input aria-label="Key" value={key} onChange={(e) => setKey(e.target.value)} />
        <input aria-label="Value" value={value} onChange={(e) => setValue(e.target.value)} />
        <button type="submit">Write</button>
        <select aria-label="Read mode" value={mode} onChange={(e) => setMode(e.target.value as ReadMode)}>
          <option value="default">default</option>
          <option value="consistent">consistent</option>
          <option value="stale">stale</option>
        </select>
        {s.datacenters.length > 1 && (
          <select aria-label="Datacenter" value={dc} onChange={(e) => setDc(e.target.value)}>
            <option value="">this datacenter</option>
            {s.datacenters.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        )}
        <button type="button" onClick={read}>
          Read
        </button>
      </form>
      <p data-testid="kv-result">{result}</p>
      {s.kvError && <p className="error">{s.kvError}</p>}
      <table>
        <tbody>
          {s.kv.map((e) => (
            <tr key={e.key} data-key={e.key}>
              <td>{e.key}</td>
              <td data-testid="kv-value">{e.value}</td>
              <td className="muted">#{e.modifyIndex}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function RaftLog({ s }: { s: State }) {
  if (s.role === 'client') return null;
  return (
    <section aria-label="Raft log">
      <h2>
        Raft log <span className="muted">({s.firstIndex}…{s.lastIndex})</span>
      </h2>
      <table>
        <tbody>
          {s.logTail.map((e) => (
            <tr key={e.index} data-index={e.index} className={e.committed ? '' : 'uncommitted'}>
              <td>{e.index}</td>
              <td>t{e.term}</td>
              <td>{e.kind}</td>
              <td>{e.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

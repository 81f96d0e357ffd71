'use client';
import { useMemo, useState } from 'react';
import { LESSONS, lessonById } from '../lessons/index.ts';
import { type ClusterSpec, MESSAGE_KINDS, type MessageKind, specFromParams } from '../sim-runner/index.ts';
import { KindFilter, TimeControls } from './controls.tsx';
import { CoordMap } from './coord-map.tsx';
import { layoutTopology } from './layout.ts';
import { LessonPanel } from './lesson-panel.tsx';
import { MembershipMatrix } from './membership-matrix.tsx';
import { NetworkPanel } from './network-panel.tsx';
import { NodePanel } from './node-panel.tsx';
import { GOSSIP_RING, ROLE_FILL } from './palette.ts';
import { TimelineView } from './timeline-view.tsx';
import { Topology } from './topology.tsx';
import { useLab } from './use-lab.ts';

/** What the URL asks for: a cluster (or a lesson's), autoplay, and an optional stop time. */
export interface LabRequest {
  spec: ClusterSpec;
  key: string;
  lessonId: string | undefined;
  autoplay: boolean;
  untilMs: number | undefined;
  /** Initial speed (0.1–100). */
  speed: number;
}

/** Reads `/lab?seed=7&dcs=2&servers=3&clients=2&lesson=…&until=5000&play=0&speed=10`. Throws on bad input. */
export function requestFromParams(params: URLSearchParams): LabRequest {
  const lessonId = params.get('lesson') ?? undefined;
  const lesson = lessonId ? lessonById(lessonId) : undefined;
  if (lessonId && !lesson) throw new Error(`no lesson "${lessonId}"`);
  const spec = lesson ? { ...lesson.spec, seed: params.has('seed') ? Number(params.get('seed')) : lesson.spec.seed } : specFromParams(params);
  const untilText = params.get('until');
  const untilMs = untilText === null ? undefined : Number(untilText);
  if (untilMs !== undefined && !(untilMs >= 0 && Number.isFinite(untilMs))) throw new Error('until must be a number of milliseconds');
  const autoplay = params.get('play') !== null ? params.get('play') !== '0' : !lesson;
  const speed = Number(params.get('speed') ?? 1);
  if (!(speed >= 0.1 && speed <= 100)) throw new Error('speed must be between 0.1 and 100');
  return { spec, key: `${params.toString()}`, lessonId: lesson?.id, autoplay, untilMs, speed };
}

type SideTab = 'node' | 'network';
type BottomTab = 'coords' | 'matrix';

/** The whole in-tab lab: controls, topology with messages, side panels, timeline, maps, lessons. */
export function LabApp({ request, navigate }: { request: LabRequest; navigate: (query: string) => void }) {
  const lab = useLab(request.spec, request.key, { autoplay: request.autoplay, untilMs: request.untilMs, speed: request.speed });
  const { runner, driver } = lab;
  const dcs = request.spec.datacenters.map((d) => d.name);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the runner fixes the nodes and datacenters
  const layout = useMemo(() => layoutTopology(runner.nodes, dcs), [runner]);
  const [selected, setSelected] = useState<string | undefined>(runner.nodes[0]?.id);
  const [side, setSide] = useState<SideTab>('node');
  const [bottom, setBottom] = useState<BottomTab>(runner.nodes.length <= 16 * dcs.length ? 'matrix' : 'coords');
  const [kinds, setKinds] = useState<Set<MessageKind>>(() => new Set(MESSAGE_KINDS.filter((k) => k !== 'pushpull')));
  const snap = runner.snapshot();
  const faults = runner.faultState();
  const lesson = request.lessonId ? lessonById(request.lessonId) : undefined;
  const sel = selected && runner.nodes.some((n) => n.id === selected) ? selected : runner.nodes[0]?.id;

  return (
    <div className="flex min-h-screen flex-col bg-[#f4f5f7] text-[#0c0c0e]" data-testid="lab" data-seed={request.spec.seed} data-leader={snap.leaders[dcs[0] ?? 'dc1'] ?? ''}>
      <header className="flex flex-wrap items-center gap-x-5 gap-y-2 bg-[#0c0c0e] px-4 py-2.5">
        <a href="/lab" className="flex items-center gap-2 text-white">
          <svg viewBox="0 0 24 24" className="h-6 w-6" aria-hidden="true">
            <circle cx="12" cy="12" r="10" fill="none" stroke="#e03875" strokeWidth="3" strokeDasharray="48 15" />
            <circle cx="12" cy="12" r="3.2" fill="#e03875" />
          </svg>
          <span className="font-semibold">Consul Lab</span>
        </a>
        <TimeControls driver={driver} />
        <ClusterForm spec={request.spec} lessonId={request.lessonId} navigate={navigate} />
      </header>
      <main className="grid flex-1 grid-cols-1 gap-3 p-3 xl:grid-cols-[minmax(0,1fr)_440px]">
        <div className="flex min-w-0 flex-col gap-3">
          <div className="relative h-[62vh] min-h-[420px] rounded-xl border border-slate-200 bg-[#fafafa] shadow-sm">
            <div className="absolute left-3 top-3 z-10 max-w-[70%]">
              <KindFilter kinds={kinds} onChange={setKinds} />
            </div>
            <Legend />
            <Topology driver={driver} snap={snap} layout={layout} faults={faults} kinds={kinds} selected={sel} onSelect={(id) => {
                setSelected(id);
                setSide('node');
              }} />
          </div>
          <div className="grid h-72 grid-cols-1 gap-3 lg:grid-cols-[minmax(0,1fr)_340px]">
            <div className="flex min-h-0 flex-col rounded-xl border border-slate-200 bg-white shadow-sm">
              <h3 className="border-b border-slate-100 px-3 py-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">Timeline</h3>
              <div className="min-h-0 flex-1">
                <TimelineView events={runner.timeline.recent(200)} onSelect={setSelected} />
              </div>
            </div>
            <div className="flex min-h-0 flex-col rounded-xl border border-slate-200 bg-white shadow-sm">
              <div className="flex border-b border-slate-100 text-xs">
                {(['matrix', 'coords'] as const).map((t) => (
                  <button type="button" key={t} onClick={() => setBottom(t)} className={`px-3 py-1.5 font-semibold uppercase tracking-wide ${bottom === t ? 'border-b-2 border-[#e03875] text-slate-900' : 'text-slate-400'}`}>
                    {t === 'matrix' ? 'Membership views' : 'Coordinates'}
                  </button>
                ))}
              </div>
              <div className="min-h-0 flex-1 overflow-auto p-2">
                {bottom === 'coords' ? (
                  <CoordMap snap={snap} selected={sel} onSelect={setSelected} />
                ) : (
                  <div className="flex flex-col gap-3">
                    {dcs.map((dc) => (
                      <div key={dc}>
                        {dcs.length > 1 && <div className="mb-1 text-center text-[10px] font-semibold text-slate-500">{dc}</div>}
                        <MembershipMatrix runner={runner} dc={dc} />
                      </div>
                    ))}
                  </div>
                )}
              </div>
            </div>
          </div>
        </div>
        <aside className="flex min-w-0 flex-col gap-3">
          {lesson ? (
            <LessonPanel key={request.key} lesson={lesson} runner={runner} version={lab.version} onExit={() => navigate(`seed=${request.spec.seed}`)} />
          ) : (
            <LessonPicker navigate={navigate} />
          )}
          <div className="flex rounded-lg border border-slate-200 bg-white p-1 text-xs shadow-sm">
            {(['node', 'network'] as const).map((t) => (
              <button type="button" key={t} onClick={() => setSide(t)} data-testid={`tab-${t}`} className={`flex-1 rounded-md px-3 py-1.5 font-semibold ${side === t ? 'bg-[#0c0c0e] text-white' : 'text-slate-500 hover:bg-slate-100'}`}>
                {t === 'node' ? `Node ${sel ?? ''}` : 'Network'}
              </button>
            ))}
          </div>
          {side === 'node' && sel ? <NodePanel runner={runner} id={sel} /> : <NetworkPanel runner={runner} selected={sel} />}
        </aside>
      </main>
    </div>
  );
}

function Legend() {
  const roles = ['leader', 'follower', 'candidate', 'client', 'down'] as const;
  const states = ['alive', 'suspect', 'dead', 'left'] as const;
  return (
    <div className="absolute bottom-3 left-3 z-10 flex flex-wrap gap-x-3 gap-y-1 rounded-md bg-white/90 px-2 py-1 text-[11px] text-slate-600 shadow-sm">
      {roles.map((r) => (
        <span key={r} className="flex items-center gap-1">
          <span className="h-2.5 w-2.5 rounded-full" style={{ background: ROLE_FILL[r] }} />
          {r}
        </span>
      ))}
      <span className="text-slate-300">|</span>
      {states.map((s) => (
        <span key={s} className="flex items-center gap-1">
          <span className="h-2.5 w-2.5 rounded-full border-2 bg-white" style={{ borderColor: GOSSIP_RING[s] }} />
          {s}
        </span>
      ))}
    </div>
  );
}

function LessonPicker({ navigate }: { navigate: (query: string) => void }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Lessons</h3>
      <ul className="mt-2 grid grid-cols-2 gap-1.5">
        {LESSONS.map((l) => (
          <li key={l.id}>
            <button type="button" onClick={() => navigate(`lesson=${l.id}`)} className="w-full rounded-md border border-slate-200 px-2 py-1.5 text-left text-xs hover:border-[#e03875] hover:bg-pink-50" title={l.summary} data-lesson={l.id}>
              {l.title}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ClusterForm({ spec, lessonId, navigate }: { spec: ClusterSpec; lessonId: string | undefined; navigate: (query: string) => void }) {
  const first = spec.datacenters[0];
  const [seed, setSeed] = useState(String(spec.seed));
  const [dcs, setDcs] = useState(String(spec.datacenters.length));
  const [servers, setServers] = useState(String(first?.servers ?? 3));
  const [clients, setClients] = useState(String(first?.clients ?? 2));
  const input = 'w-14 rounded-md border border-white/20 bg-[#1f2124] px-1.5 py-1 font-mono text-xs text-white';
  return (
    <form
      className="ml-auto flex flex-wrap items-center gap-2 text-xs text-slate-300"
      onSubmit={(e) => {
        e.preventDefault();
        navigate(lessonId ? `lesson=${lessonId}&seed=${seed}` : `seed=${seed}&dcs=${dcs}&servers=${servers}&clients=${clients}`);
      }}
    >
      <label className="flex items-center gap-1">
        seed
        <input aria-label="seed" value={seed} onChange={(e) => setSeed(e.target.value)} className={input} />
      </label>
      {!lessonId && (
        <>
          <label className="flex items-center gap-1">
            DCs
            <input aria-label="datacenters" value={dcs} onChange={(e) => setDcs(e.target.value)} className={input} />
          </label>
          <label className="flex items-center gap-1">
            servers
            <input aria-label="servers per datacenter" value={servers} onChange={(e) => setServers(e.target.value)} className={input} />
          </label>
          <label className="flex items-center gap-1">
            clients
            <input aria-label="clients per datacenter" value={clients} onChange={(e) => setClients(e.target.value)} className={input} />
          </label>
        </>
      )}
      <button type="submit" className="rounded-md bg-white/10 px-2.5 py-1 font-semibold text-white hover:bg-white/20">
        New run
      </button>
    </form>
  );
}

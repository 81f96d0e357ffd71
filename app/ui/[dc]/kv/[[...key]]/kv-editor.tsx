'use client';
/**
 * Create or edit one key. Saving an existing key uses `?cas=<ModifyIndex it was loaded at>`, so a
 * second editor who saves after someone else gets a conflict message instead of overwriting;
 * creating uses `?cas=0` (only if absent). Values are edited as UTF-8 text or as base64.
 */
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, type ReactNode, useCallback, useEffect, useId, useState } from 'react';
import { Badge } from '../../../components/badges.tsx';
import { CodeEditor } from '../../../components/code-editor.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { Empty, QueryView } from '../../../components/states.tsx';
import { deleteKv, destroySession, fetchKv, fetchSession, putKv } from '../../../lib/endpoints.ts';
import { describeError } from '../../../lib/errors.ts';
import { breadcrumbs, isFolder, kvCreateUrl, kvFolderUrl, parentPrefix, validateKeyName } from '../../../lib/kv-path.ts';
import { decodeBase64, editorBytes, encodeBase64, isJson, parseFlags, utf8Text, viewValue } from '../../../lib/kv-value.ts';
import type { KVPair } from '../../../lib/types.ts';
import { useBlockingQuery } from '../../../lib/use-blocking-query.ts';

type Mode = 'text' | 'base64';

function crumbsFor(dc: string, folder: string) {
  return [
    { label: 'Key / Values', href: kvFolderUrl(dc, '') },
    ...breadcrumbs(folder).map((b) => ({ label: b.name, href: kvFolderUrl(dc, b.prefix) })),
  ];
}

/** Text ⇄ base64 switch; refuses to show non-UTF-8 bytes as text. */
function useValueEditor(initial: string | null) {
  const view = viewValue(initial);
  const [mode, setMode] = useState<Mode>(view.text === null ? 'base64' : 'text');
  const [content, setContent] = useState(view.text ?? view.base64);
  const [modeError, setModeError] = useState<string | null>(null);
  const switchTo = (next: Mode) => {
    if (next === mode) return;
    setModeError(null);
    try {
      if (next === 'base64') {
        setContent(encodeBase64(new TextEncoder().encode(content)));
      } else {
        const text = utf8Text(decodeBase64(content));
        if (text === null) {
          setModeError('This value is not valid UTF-8 text, so it can only be edited as base64.');
          return;
        }
        setContent(text);
      }
      setMode(next);
    } catch (e) {
      setModeError(e instanceof Error ? e.message : String(e));
    }
  };
  const reset = useCallback((value: string | null) => {
    const v = viewValue(value);
    setMode(v.text === null ? 'base64' : 'text');
    setContent(v.text ?? v.base64);
    setModeError(null);
  }, []);
  return { mode, content, setContent, switchTo, modeError, reset };
}

function ValueFields({ editor, flags, setFlags }: { editor: ReturnType<typeof useValueEditor>; flags: string; setFlags: (v: string) => void }) {
  const flagsId = useId();
  const flagsCheck = parseFlags(flags);
  return (
    <div className="space-y-4">
      <fieldset className="flex items-center gap-1 text-sm">
        <legend className="sr-only">Show value as</legend>
        {(['text', 'base64'] as const).map((m) => (
          <label
            key={m}
            className={`cursor-pointer rounded border px-3 py-1 has-focus-visible:outline-2 has-focus-visible:outline-action ${editor.mode === m ? 'border-action bg-action-soft text-action' : 'border-line-strong bg-surface text-fg-muted'}`}
          >
            <input type="radio" name="value-mode" value={m} checked={editor.mode === m} onChange={() => editor.switchTo(m)} className="sr-only" />
            {m === 'text' ? 'Text' : 'Base64'}
          </label>
        ))}
        {editor.mode === 'text' && isJson(editor.content) && (
          <span className="ml-2">
            <Badge tone="ok">valid JSON</Badge>
          </span>
        )}
      </fieldset>
      {editor.modeError && (
        <p role="alert" className="text-sm text-bad">
          {editor.modeError}
        </p>
      )}
      <CodeEditor label={editor.mode === 'text' ? 'Value' : 'Value (base64)'} value={editor.content} onChange={editor.setContent} />
      <div>
        <label htmlFor={flagsId} className="mb-1 block text-sm font-medium">
          Flags
        </label>
        <input
          id={flagsId}
          inputMode="numeric"
          value={flags}
          onChange={(e) => setFlags(e.target.value)}
          aria-invalid={!flagsCheck.ok}
          className="w-64 rounded border border-line-strong bg-surface px-3 py-1.5 font-mono text-sm"
        />
        {!flagsCheck.ok && <p className="mt-1 text-sm text-bad">{flagsCheck.error}</p>}
      </div>
    </div>
  );
}

function LockSession({ dc, id, onReleased }: { dc: string; id: string; onReleased: () => void }) {
  const session = useBlockingQuery(`kv-session:${dc}:${id}`, (index, signal) => fetchSession(dc, id, { index, signal }));
  const [error, setError] = useState<unknown>(null);
  const s = session.data?.[0];
  const invalidate = async () => {
    if (!window.confirm(`Invalidate session ${id}? The lock on this key is released.`)) return;
    try {
      await destroySession(dc, id);
      onReleased();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="rounded-md border border-warn-line bg-warn-soft p-4 text-sm" aria-label="Lock session">
      <h2 className="font-semibold text-warn">This key is locked by a session</h2>
      <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
        <dt className="text-fg-faint">Session</dt>
        <dd className="break-all font-mono text-xs leading-5">{id}</dd>
        {s && (
          <>
            <dt className="text-fg-faint">Name</dt>
            <dd>{s.Name === '' ? '(unnamed)' : s.Name}</dd>
            <dt className="text-fg-faint">Node</dt>
            <dd>
              <Link href={`/ui/${encodeURIComponent(dc)}/nodes/${encodeURIComponent(s.Node)}/lock-sessions`} className="text-action hover:underline">
                {s.Node}
              </Link>
            </dd>
            <dt className="text-fg-faint">Behavior</dt>
            <dd>{s.Behavior}</dd>
          </>
        )}
      </dl>
      <button type="button" onClick={invalidate} className="mt-3 rounded border border-bad-line bg-surface px-3 py-1 font-medium text-bad hover:bg-bad-soft">
        Invalidate session
      </button>
      {error ? <p className="mt-2 text-bad">{describeError(error).detail}</p> : null}
    </section>
  );
}

function Message({ tone, children }: { tone: 'bad' | 'warn'; children: ReactNode }) {
  return (
    <div role="alert" className={`rounded-md border p-3 text-sm ${tone === 'bad' ? 'border-bad-line bg-bad-soft' : 'border-warn-line bg-warn-soft'}`}>
      {children}
    </div>
  );
}

function EditForm({ dc, pair, reload }: { dc: string; pair: KVPair; reload: () => void }) {
  const router = useRouter();
  const editor = useValueEditor(pair.Value);
  const [flags, setFlags] = useState(String(pair.Flags));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ kind: 'conflict' | 'error'; text: string } | null>(null);
  const folder = parentPrefix(pair.Key);
  const { reset } = editor;
  // A reload (after a conflict) brings a new ModifyIndex: show that value.
  useEffect(() => {
    reset(pair.Value);
    setFlags(String(pair.Flags));
  }, [pair, reset]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const f = parseFlags(flags);
    if (!f.ok) return;
    setBusy(true);
    setProblem(null);
    try {
      const ok = await putKv(dc, pair.Key, editorBytes(editor.content, editor.mode) as Uint8Array<ArrayBuffer>, { flags: f.value, cas: pair.ModifyIndex });
      if (ok) router.push(kvFolderUrl(dc, folder));
      else
        setProblem({
          kind: 'conflict',
          text: `Someone else changed or deleted “${pair.Key}” after you opened it (you loaded modify index ${pair.ModifyIndex}). Your edits were not saved.`,
        });
    } catch (err) {
      const d = describeError(err);
      setProblem({ kind: 'error', text: `${d.title}: ${d.detail}` });
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!window.confirm(`Delete the key ${pair.Key}? This cannot be undone.`)) return;
    setBusy(true);
    setProblem(null);
    try {
      const ok = await deleteKv(dc, pair.Key, { cas: pair.ModifyIndex });
      if (ok) router.push(kvFolderUrl(dc, folder));
      else setProblem({ kind: 'conflict', text: `“${pair.Key}” changed after you opened it, so it was not deleted. Load the current value first.` });
    } catch (err) {
      const d = describeError(err);
      setProblem({ kind: 'error', text: `${d.title}: ${d.detail}` });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={save} className="space-y-4">
      {pair.Session && <LockSession dc={dc} id={pair.Session} onReleased={reload} />}
      {problem && (
        <Message tone={problem.kind === 'conflict' ? 'warn' : 'bad'}>
          <p className="font-semibold">{problem.kind === 'conflict' ? 'Conflict: the key changed' : 'Could not save'}</p>
          <p className="mt-1">{problem.text}</p>
          {problem.kind === 'conflict' && (
            <button type="button" onClick={reload} className="mt-2 rounded border border-line-strong bg-surface px-3 py-1 font-medium hover:bg-canvas">
              Load the current value (discards your edits)
            </button>
          )}
        </Message>
      )}
      <ValueFields editor={editor} flags={flags} setFlags={setFlags} />
      <p className="text-xs text-fg-faint">
        Modify index {pair.ModifyIndex} · create index {pair.CreateIndex} · lock index {pair.LockIndex}
      </p>
      <div className="flex flex-wrap gap-2">
        <button type="submit" disabled={busy} className="rounded bg-action px-4 py-1.5 text-sm font-medium text-white hover:bg-action-hover disabled:opacity-50">
          {busy ? 'Saving…' : 'Save'}
        </button>
        <Link href={kvFolderUrl(dc, folder)} className="rounded border border-line-strong bg-surface px-4 py-1.5 text-sm font-medium hover:bg-canvas">
          Cancel
        </Link>
        <button type="button" onClick={remove} disabled={busy} className="ml-auto rounded border border-bad-line bg-surface px-4 py-1.5 text-sm font-medium text-bad hover:bg-bad-soft">
          Delete
        </button>
      </div>
    </form>
  );
}

/** `/ui/:dc/kv/<key>/edit`. */
export function KvEdit({ dc, keyName }: { dc: string; keyName: string }) {
  // Loaded once (no long-poll): the editor must not change under the user; CAS catches races.
  const pair = useBlockingQuery(`kv:${dc}:${keyName}`, (_i, signal) => fetchKv(dc, keyName, { signal }), { once: true });
  const folder = parentPrefix(keyName);
  return (
    <>
      <PageHeader title={keyName.slice(folder.length)} crumbs={crumbsFor(dc, folder)} />
      <QueryView state={pair} what={`key ${keyName}`}>
        {(data) =>
          data === null ? (
            <Empty title="Key not found">
              Consul has no key “{keyName}” in {dc}; it may have been deleted.{' '}
              <Link href={kvCreateUrl(dc, folder)} className="text-action hover:underline">
                Create a key
              </Link>
            </Empty>
          ) : (
            <EditForm dc={dc} pair={data} reload={pair.refresh} />
          )
        }
      </QueryView>
    </>
  );
}

/** `/ui/:dc/kv/<folder>/create`: a new key, or a folder when the name ends with `/`. */
export function KvCreate({ dc, prefix }: { dc: string; prefix: string }) {
  const router = useRouter();
  const nameId = useId();
  const [name, setName] = useState('');
  const [flags, setFlags] = useState('0');
  const editor = useValueEditor(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const nameError = validateKeyName(name);
  const folder = isFolder(name);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    const f = parseFlags(flags);
    if (nameError !== null || !f.ok) return;
    const key = `${prefix}${name}`;
    setBusy(true);
    setProblem(null);
    try {
      const body = folder ? new Uint8Array(0) : editorBytes(editor.content, editor.mode);
      const ok = await putKv(dc, key, body as Uint8Array<ArrayBuffer>, { flags: folder ? undefined : f.value, cas: 0 });
      if (ok) router.push(folder ? kvFolderUrl(dc, key) : kvFolderUrl(dc, prefix));
      else setProblem(`“${key}” already exists. Open it from the folder to edit it.`);
    } catch (err) {
      const d = describeError(err);
      setProblem(`${d.title}: ${d.detail}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeader title="New Key / Value" crumbs={crumbsFor(dc, prefix)} />
      <form onSubmit={create} className="space-y-4">
        {problem && (
          <Message tone="bad">
            <p>{problem}</p>
          </Message>
        )}
        <div>
          <label htmlFor={nameId} className="mb-1 block text-sm font-medium">
            Key or folder
          </label>
          <div className="flex items-center rounded border border-line-strong bg-surface focus-within:border-action">
            {prefix !== '' && <span className="pl-3 font-mono text-sm text-fg-faint">{prefix}</span>}
            <input
              id={nameId}
              value={name}
              onChange={(e) => setName(e.target.value)}
              onBlur={() => setTouched(true)}
              aria-invalid={touched && nameError !== null}
              aria-describedby={`${nameId}-help`}
              className="min-w-0 flex-1 bg-transparent px-2 py-1.5 font-mono text-sm outline-none"
              data-testid="kv-key-name"
            />
          </div>
          <p id={`${nameId}-help`} className={`mt-1 text-sm ${touched && nameError ? 'text-bad' : 'text-fg-faint'}`}>
            {touched && nameError ? nameError : 'To create a folder, end the name with a /.'}
          </p>
        </div>
        {!folder && <ValueFields editor={editor} flags={flags} setFlags={setFlags} />}
        <div className="flex gap-2">
          <button type="submit" disabled={busy} className="rounded bg-action px-4 py-1.5 text-sm font-medium text-white hover:bg-action-hover disabled:opacity-50">
            {busy ? 'Saving…' : 'Save'}
          </button>
          <Link href={kvFolderUrl(dc, prefix)} className="rounded border border-line-strong bg-surface px-4 py-1.5 text-sm font-medium hover:bg-canvas">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}

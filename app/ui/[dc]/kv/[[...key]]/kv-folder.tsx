'use client';
/** A KV folder: its keys and sub-folders (one level, `?keys&separator=/`), live. */
import Link from 'next/link';
import { useState } from 'react';
import { PageHeader } from '../../../components/page-header.tsx';
import { Empty, QueryView } from '../../../components/states.tsx';
import { deleteKv, fetchKvKeys } from '../../../lib/endpoints.ts';
import { describeError } from '../../../lib/errors.ts';
import { breadcrumbs, childName, folderEntries, isFolder, kvCreateUrl, kvEntryUrl, kvFolderUrl } from '../../../lib/kv-path.ts';
import { useBlockingQuery } from '../../../lib/use-blocking-query.ts';

function FolderIcon({ folder }: { folder: boolean }) {
  return (
    <svg viewBox="0 0 16 16" className="h-4 w-4 shrink-0 text-fg-faint" aria-hidden>
      {folder ? (
        <path d="M1.5 3.5h4l1.5 1.5h7.5v8h-13z" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
      ) : (
        <path d="M3.5 1.5h6l3 3v10h-9zM9.5 1.5v3h3" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
      )}
    </svg>
  );
}

function KeyRow({ dc, keyName, prefix, onDeleted }: { dc: string; keyName: string; prefix: string; onDeleted: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const folder = isFolder(keyName);
  const remove = async () => {
    const what = folder ? `the folder ${keyName} and every key in it` : `the key ${keyName}`;
    if (!window.confirm(`Delete ${what}? This cannot be undone.`)) return;
    setError(null);
    try {
      await deleteKv(dc, keyName, { recurse: folder });
      onDeleted();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <li className="flex flex-wrap items-center gap-2 border-t border-line px-4 py-2 first:border-t-0" data-key={keyName}>
      <FolderIcon folder={folder} />
      <Link href={kvEntryUrl(dc, keyName)} prefetch={false} className="min-w-0 flex-1 break-all text-action hover:underline">
        {childName(keyName, prefix)}
      </Link>
      <Link href={kvEntryUrl(dc, keyName)} prefetch={false} className="rounded px-2 py-1 text-sm text-fg-muted hover:bg-canvas">
        {folder ? 'Open' : 'Edit'}
      </Link>
      <button type="button" onClick={remove} className="rounded px-2 py-1 text-sm text-bad hover:bg-bad-soft" aria-label={`Delete ${keyName}`}>
        Delete
      </button>
      {error ? (
        <p role="alert" className="w-full text-sm text-bad">
          {describeError(error).title}: {describeError(error).detail}
        </p>
      ) : null}
    </li>
  );
}

/** The listing of `prefix` ('' = root). */
export function KvFolder({ dc, prefix }: { dc: string; prefix: string }) {
  const keys = useBlockingQuery(`kv-keys:${dc}:${prefix}`, (index, signal) => fetchKvKeys(dc, prefix, { index, signal }));
  const crumbs = [{ label: 'Key / Values', href: kvFolderUrl(dc, '') }, ...breadcrumbs(prefix).slice(0, -1).map((b) => ({ label: b.name, href: kvFolderUrl(dc, b.prefix) }))];
  const title = prefix === '' ? 'Key / Value' : (breadcrumbs(prefix).at(-1)?.name ?? prefix);
  return (
    <>
      <PageHeader
        title={title}
        crumbs={prefix === '' ? [] : crumbs}
        actions={
          <Link href={kvCreateUrl(dc, prefix)} className="rounded bg-action px-3 py-1.5 text-sm font-medium text-white hover:bg-action-hover">
            Create
          </Link>
        }
      />
      <QueryView state={keys} what="keys">
        {(data) => {
          const entries = folderEntries(data, prefix);
          if (entries.length === 0) {
            return (
              <Empty title={prefix === '' ? 'No keys yet' : 'This folder is empty'}>
                <Link href={kvCreateUrl(dc, prefix)} className="text-action hover:underline">
                  Create a key or folder
                </Link>{' '}
                to store configuration here.
              </Empty>
            );
          }
          return (
            <ul className="overflow-hidden rounded-md border border-line bg-surface" aria-label="Keys">
              {entries.map((k) => (
                <KeyRow key={k} dc={dc} keyName={k} prefix={prefix} onDeleted={keys.refresh} />
              ))}
            </ul>
          );
        }}
      </QueryView>
    </>
  );
}

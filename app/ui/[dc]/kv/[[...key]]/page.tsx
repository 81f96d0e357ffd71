'use client';
/** `/ui/:dc/kv/*`: a folder's listing, a key's editor (`…/edit`) or the create form (`…/create`). */
import { useParams } from 'next/navigation';
import { parseKvRoute } from '../../../lib/kv-path.ts';
import { KvCreate, KvEdit } from './kv-editor.tsx';
import { KvFolder } from './kv-folder.tsx';

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export default function KvPage() {
  const params = useParams<{ dc: string; key?: string[] }>();
  const dc = decode(params.dc);
  const route = parseKvRoute((params.key ?? []).map(decode));
  // Keys remount the views when the path changes, so no state leaks between keys.
  if (route.mode === 'edit') return <KvEdit key={`edit:${route.key}`} dc={dc} keyName={route.key} />;
  if (route.mode === 'create') return <KvCreate key={`create:${route.prefix}`} dc={dc} prefix={route.prefix} />;
  return <KvFolder key={`folder:${route.prefix}`} dc={dc} prefix={route.prefix} />;
}

/**
 * Key/Value paths and the dashboard's KV URLs, as Consul's UI spells them: `/ui/:dc/kv/` is the
 * root folder, `/ui/:dc/kv/a/b/` the folder `a/b/`, `/ui/:dc/kv/a/b/c/edit` the key `a/b/c`,
 * `/ui/:dc/kv/a/create` (and `/ui/:dc/kv/create`) a new key in a folder. Keys ending in `/` are
 * folders.
 */
import { compareNames } from './compare.ts';
import { encodePath } from './api.ts';

/** What a `/ui/:dc/kv/*` URL shows. */
export type KvRoute =
  | { mode: 'folder'; prefix: string }
  | { mode: 'edit'; key: string }
  | { mode: 'create'; prefix: string };

/** Parses the decoded path segments after `/kv/`. */
export function parseKvRoute(segments: readonly string[]): KvRoute {
  const parts = segments.filter((s, i) => s !== '' || i < segments.length - 1);
  const last = parts[parts.length - 1];
  const rest = parts.slice(0, -1);
  if (last === 'create') return { mode: 'create', prefix: folderOf(rest) };
  if (last === 'edit' && rest.length > 0) return { mode: 'edit', key: rest.join('/') };
  return { mode: 'folder', prefix: folderOf(parts) };
}

function folderOf(parts: readonly string[]): string {
  return parts.length === 0 ? '' : `${parts.join('/')}/`;
}

/** True for folder keys (ending in `/`). */
export function isFolder(key: string): boolean {
  return key.endsWith('/');
}

/** The folder holding a key or folder: `a/b/c` → `a/b/`, `a/b/` → `a/`, `c` → ''. */
export function parentPrefix(key: string): string {
  const trimmed = isFolder(key) ? key.slice(0, -1) : key;
  const slash = trimmed.lastIndexOf('/');
  return slash < 0 ? '' : trimmed.slice(0, slash + 1);
}

/** A key's name inside its folder: `a/b/c` in `a/b/` → `c`; `a/b/d/` → `d/`. */
export function childName(key: string, prefix: string): string {
  return key.startsWith(prefix) ? key.slice(prefix.length) : key;
}

/** The folders from the root down to `prefix`, for breadcrumbs. */
export function breadcrumbs(prefix: string): { name: string; prefix: string }[] {
  const parts = prefix.split('/').filter((p) => p !== '');
  return parts.map((name, i) => ({ name, prefix: `${parts.slice(0, i + 1).join('/')}/` }));
}

/** The children of a folder listing, minus the folder's own key, folders first then by name. */
export function folderEntries(keys: readonly string[] | null, prefix: string): string[] {
  return (keys ?? [])
    .filter((k) => k !== prefix && k.startsWith(prefix))
    .sort((a, b) => Number(isFolder(b)) - Number(isFolder(a)) || compareNames(a, b));
}

/** Checks a new key's name (relative to its folder); returns the problem, or null when fine. */
export function validateKeyName(name: string): string | null {
  if (name.trim() === '') return 'Enter a key name. End it with / to create a folder.';
  if (name.startsWith('/')) return 'Key names cannot start with /.';
  if (name.split('/').some((s) => s === '..' || s === '.')) return 'Key names cannot contain . or .. segments.';
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return 'Key names cannot contain control characters.';
  return null;
}

/** URL of a folder's listing (without the trailing slash, which Next would redirect away). */
export function kvFolderUrl(dc: string, prefix: string): string {
  return `/ui/${encodeURIComponent(dc)}/kv/${encodePath(prefix)}`.replace(/\/+$/, '');
}

/** URL of a key's editor. */
export function kvEditUrl(dc: string, key: string): string {
  return `/ui/${encodeURIComponent(dc)}/kv/${encodePath(key)}/edit`;
}

/** URL of an entry (a folder's listing or a key's editor). */
export function kvEntryUrl(dc: string, key: string): string {
  return isFolder(key) ? kvFolderUrl(dc, key) : kvEditUrl(dc, key);
}

/** URL of the "create" form inside a folder. */
export function kvCreateUrl(dc: string, prefix: string): string {
  return `/ui/${encodeURIComponent(dc)}/kv/${encodePath(prefix)}create`;
}

/**
 * Dashboard settings kept in the browser's localStorage: the ACL token sent as `X-Consul-Token`
 * (the seam the ACL pages will log in through) and whether views use blocking queries.
 */

const TOKEN_KEY = 'consul:token';
const BLOCKING_KEY = 'consul:blocking-queries';

/** The subset of Storage the settings need; tests and server rendering pass their own. */
export type SettingsStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function browserStore(): SettingsStore | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    // Storage can be disabled (privacy settings); the dashboard then runs with defaults.
    return null;
  }
}

/** The saved ACL token secret, or '' for none (the agent's default token applies). */
export function getToken(store: SettingsStore | null = browserStore()): string {
  return store?.getItem(TOKEN_KEY) ?? '';
}

/** Saves the ACL token secret; an empty string forgets it. */
export function setToken(token: string, store: SettingsStore | null = browserStore()): void {
  const value = token.trim();
  if (value === '') store?.removeItem(TOKEN_KEY);
  else store?.setItem(TOKEN_KEY, value);
}

/** Whether views long-poll with blocking queries (default on, as in Consul's UI). */
export function getBlocking(store: SettingsStore | null = browserStore()): boolean {
  return store?.getItem(BLOCKING_KEY) !== 'false';
}

/** Turns live updates through blocking queries on or off. */
export function setBlocking(on: boolean, store: SettingsStore | null = browserStore()): void {
  store?.setItem(BLOCKING_KEY, on ? 'true' : 'false');
}

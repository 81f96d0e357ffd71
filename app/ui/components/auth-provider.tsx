'use client';
/**
 * Who the dashboard acts as: whether ACLs are on in this datacenter, the saved token (settings.ts)
 * and what `/v1/acl/token/self` says of it. Logging in validates a secret with token/self before
 * saving it; logging in or out bumps `epoch`, which the shell uses as a key so every view
 * re-requests with the new token.
 */
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { checkToken, fetchPolicies } from '../lib/acl-endpoints.ts';
import type { AclToken } from '../lib/acl-types.ts';
import { ConsulError } from '../lib/errors.ts';
import { fetchAclsEnabled } from '../lib/endpoints.ts';
import { getToken, setToken } from '../lib/settings.ts';
import { useBlockingQuery } from '../lib/use-blocking-query.ts';
import { LoginDialog } from './login-form.tsx';

/** The login state every ACL-aware view reads. */
export interface Auth {
  dc: string;
  /** undefined until known. */
  aclsEnabled: boolean | undefined;
  /** The saved token as token/self describes it; null = none saved or not valid; undefined = loading. */
  self: AclToken | null | undefined;
  /** The token may read ACLs (the "Access Controls" menu shows only then, as in Consul). */
  canReadAcls: boolean | undefined;
  /** A token is saved (it may have been refused: then `self` is null). */
  hasToken: boolean;
  /** Changes on every login and logout. */
  epoch: number;
  openLogin: () => void;
  /** Validates `secret` with token/self, saves it and re-renders; rejects when it is refused. */
  login: (secret: string) => Promise<void>;
  logout: () => void;
}

const AuthContext = createContext<Auth | null>(null);

/** The login state, or null outside the datacenter shell (e.g. `/ui/`). */
export function useAuth(): Auth | null {
  return useContext(AuthContext);
}

const isForbidden = (e: unknown) => e instanceof ConsulError && e.kind === 'forbidden';
const asResult = <T,>(data: T) => ({ data, index: null, status: 200, headers: new Headers() });

export function AuthProvider({ dc, children }: { dc: string; children: ReactNode }) {
  const [epoch, setEpoch] = useState(0);
  const [loginOpen, setLoginOpen] = useState(false);
  const acls = useBlockingQuery(`acls:${dc}:${epoch}`, async (_i, signal) => asResult(await fetchAclsEnabled(dc, signal)), { once: true });
  const saved = typeof window === 'undefined' ? '' : getToken();
  const self = useBlockingQuery(
    acls.data === true ? `self:${dc}:${epoch}` : null,
    async (_i, signal) => {
      if (saved === '') return asResult(null);
      // A refused secret (ACL not found) means "not logged in", not a broken page.
      return checkToken(dc, saved, signal).then(asResult, (e: unknown) => {
        if (isForbidden(e)) return asResult(null);
        throw e;
      });
    },
    { once: true },
  );
  // Consul's UI asks /v1/internal/acl/authorize for acl:read; a policy list read answers the same.
  const aclRead = useBlockingQuery(
    acls.data === true ? `acl-read:${dc}:${epoch}` : null,
    (_i, signal) => fetchPolicies(dc, { signal }).then(() => asResult(true), (e: unknown) => (isForbidden(e) ? asResult(false) : Promise.reject(e))),
    { once: true },
  );
  const login = useCallback(
    async (secret: string) => {
      await checkToken(dc, secret.trim());
      setToken(secret);
      setLoginOpen(false);
      setEpoch((e) => e + 1);
    },
    [dc],
  );
  const logout = useCallback(() => {
    setToken('');
    setEpoch((e) => e + 1);
  }, []);
  const openLogin = useCallback(() => setLoginOpen(true), []);
  const value = useMemo<Auth>(
    () => ({
      dc,
      aclsEnabled: acls.data,
      self: acls.data === false ? null : self.data,
      canReadAcls: acls.data === false ? false : aclRead.data,
      hasToken: saved !== '',
      epoch,
      openLogin,
      login,
      logout,
    }),
    [dc, acls.data, self.data, aclRead.data, saved, epoch, openLogin, login, logout],
  );
  return (
    <AuthContext.Provider value={value}>
      {children}
      {loginOpen && <LoginDialog onLogin={login} onClose={() => setLoginOpen(false)} />}
    </AuthContext.Provider>
  );
}

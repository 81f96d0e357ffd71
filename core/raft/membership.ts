/**
 * Cluster membership: the configuration value, single-server changes applied to it, and its encoding
 * inside configuration log entries and snapshot metadata.
 */
import { decode, encode } from '@msgpack/msgpack';
import { type ConfChange, type Configuration, RaftError, type Server } from './types.ts';

/** An empty configuration (a server that has not joined a cluster yet). */
export const EMPTY_CONFIGURATION: Configuration = Object.freeze({ servers: [] }) as unknown as Configuration;

/** The IDs of voting servers, in configuration order. */
export function votersOf(config: Configuration): string[] {
  const out: string[] = [];
  for (const s of config.servers) if (s.suffrage === 'voter') out.push(s.id);
  return out;
}

/** The server with `id`, or undefined. */
export function findServer(config: Configuration, id: string): Server | undefined {
  return config.servers.find((s) => s.id === id);
}

/** Whether `id` is a voter in `config`. */
export function isVoter(config: Configuration, id: string): boolean {
  return findServer(config, id)?.suffrage === 'voter';
}

/**
 * The configuration after one change. Throws RaftError('bad-change') for a change that makes no
 * sense (adding a server that is already a voter, promoting an unknown server, removing the last
 * voter), so that a bad request loses nothing.
 */
export function applyConfChange(config: Configuration, change: ConfChange): Configuration {
  const existing = findServer(config, change.id);
  const others = config.servers.filter((s) => s.id !== change.id);
  switch (change.type) {
    case 'addVoter':
      if (existing?.suffrage === 'voter' && existing.address === change.address) {
        throw new RaftError('bad-change', `server ${change.id} is already a voter`);
      }
      return { servers: replace(config, { id: change.id, address: change.address, suffrage: 'voter' }) };
    case 'addNonvoter':
      if (existing) throw new RaftError('bad-change', `server ${change.id} is already in the configuration`);
      return { servers: [...config.servers, { id: change.id, address: change.address, suffrage: 'nonvoter' }] };
    case 'promote':
      if (!existing) throw new RaftError('bad-change', `server ${change.id} is not in the configuration`);
      if (existing.suffrage === 'voter') throw new RaftError('bad-change', `server ${change.id} is already a voter`);
      return { servers: replace(config, { ...existing, suffrage: 'voter' }) };
    case 'demote':
      if (existing?.suffrage !== 'voter') throw new RaftError('bad-change', `server ${change.id} is not a voter`);
      if (votersOf(config).length === 1) throw new RaftError('bad-change', 'cannot demote the last voter');
      return { servers: replace(config, { ...existing, suffrage: 'nonvoter' }) };
    case 'remove':
      if (!existing) throw new RaftError('bad-change', `server ${change.id} is not in the configuration`);
      if (existing.suffrage === 'voter' && votersOf(config).length === 1) {
        throw new RaftError('bad-change', 'cannot remove the last voter');
      }
      return { servers: others };
  }
}

/** Replaces the server with the same ID in place (keeping order), or appends it. */
function replace(config: Configuration, server: Server): Server[] {
  const i = config.servers.findIndex((s) => s.id === server.id);
  if (i < 0) return [...config.servers, server];
  const out = config.servers.slice();
  out[i] = server;
  return out;
}

/** Encodes a configuration for a log entry or snapshot metadata. */
export function encodeConfiguration(config: Configuration): Uint8Array {
  return encode(config.servers.map((s) => [s.id, s.address, s.suffrage === 'voter' ? 1 : 0]));
}

/** Decodes `encodeConfiguration`'s output; throws a clear error on anything else. */
export function decodeConfiguration(bytes: Uint8Array): Configuration {
  if (bytes.length === 0) return { servers: [] };
  const raw = decode(bytes);
  if (!Array.isArray(raw)) throw new Error('raft: configuration is not an array');
  const servers = raw.map((row): Server => {
    if (!Array.isArray(row) || typeof row[0] !== 'string' || typeof row[1] !== 'string') {
      throw new Error('raft: malformed server in configuration');
    }
    return { id: row[0], address: row[1], suffrage: row[2] === 1 ? 'voter' : 'nonvoter' };
  });
  return { servers };
}

/** A short human-readable form for transcripts: `voters=(1,2) nonvoters=(3)`. */
export function describeConfiguration(config: Configuration): string {
  const v = votersOf(config);
  const nv = config.servers.filter((s) => s.suffrage === 'nonvoter').map((s) => s.id);
  return `voters=(${v.join(',')})` + (nv.length > 0 ? ` nonvoters=(${nv.join(',')})` : '');
}

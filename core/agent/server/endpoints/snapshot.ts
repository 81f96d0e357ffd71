import { readArchive, writeArchive } from '../../../state/snapshot-archive.ts';
import { readSnapshot, SnapshotError, writeSnapshot } from '../../../state/snapshot.ts';
import { WatchSet } from '../../../state/watch.ts';
import { type Endpoint, queryOf } from '../endpoint.ts';
import { aclCallerDenied } from './acl.ts';

/** Prefix of every restore refusal, so the HTTP layer can answer 400 rather than 500. */
export const SNAPSHOT_REFUSED = 'Snapshot restore refused: ';

/** Snapshot.Save: the state as an archive (core/state/snapshot-archive.ts), on the leader unless stale. */
export const snapshotSave: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    // The archive holds every ACL secret: management tokens only, checked here too, so that a
    // direct RPC to the server port gets no more than the HTTP API.
    const denied = aclCallerDenied(ctx, args, 'write');
    if (denied) return respond(denied);
    ctx.read(
      queryOf(args),
      () => ({
        index: ctx.state.lastIndex,
        value: writeArchive(writeSnapshot(ctx.state), { Index: ctx.state.lastIndex, Datacenter: ctx.datacenter }),
        watch: new WatchSet(),
      }),
      respond,
    );
  },
};

/**
 * Snapshot.Restore `{ Data }`: verifies the archive and parses the whole state on the leader before
 * anything is proposed, then replaces the state through one Raft entry, so every server restores
 * the same state at the same index, atomically. A bad file changes nothing.
 */
export const snapshotRestore: Endpoint = {
  kind: 'write',
  handle(ctx, args, respond) {
    const denied = aclCallerDenied(ctx, args, 'write');
    if (denied) return respond(denied);
    const data = args.Data;
    if (!(data instanceof Uint8Array)) return respond(`${SNAPSHOT_REFUSED}missing snapshot data`);
    let state: Uint8Array;
    try {
      state = readArchive(data).state;
      readSnapshot(state);
    } catch (e) {
      if (e instanceof SnapshotError) return respond(SNAPSHOT_REFUSED + e.message);
      throw e;
    }
    ctx.write({ type: 'state-restore', data: state }, respond);
  },
};

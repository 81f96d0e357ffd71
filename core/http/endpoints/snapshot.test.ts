import { describe, expect, it } from 'vitest';
import { readArchive, readArchiveMeta } from '../../state/snapshot-archive.ts';
import { simDatacenter } from '../testing/sim-datacenter.ts';

describe('/v1/snapshot', () => {
  it('saves an archive, restores it through Raft, and refuses corrupt files without touching the state', async () => {
    const dc = await simDatacenter(81);
    await dc.http('s1', '/v1/kv/keep', { method: 'PUT', body: 'before' });
    const saved = await dc.http('s1', '/v1/snapshot');
    expect(saved.status).toBe(200);
    expect(Number(saved.headers.get('X-Consul-Index'))).toBeGreaterThan(1);
    const file = new Uint8Array(await saved.arrayBuffer());
    const { meta } = readArchiveMeta(file);
    expect(meta).toMatchObject({ Version: 1, Datacenter: 'dc1' });
    expect(readArchive(file).state.length).toBe(meta.Size);

    await dc.http('s1', '/v1/kv/keep', { method: 'PUT', body: 'after' });
    await dc.http('s1', '/v1/kv/extra', { method: 'PUT', body: 'x' });

    // Corruptions: a flipped byte, a truncated file, garbage. Each is a 400 and changes nothing.
    const flipped = file.slice();
    flipped[flipped.length - 10] = (flipped[flipped.length - 10] ?? 0) ^ 0xff;
    for (const [body, text] of [
      [flipped, 'checksum mismatch'],
      [file.slice(0, file.length - 7), 'truncated'],
      [new TextEncoder().encode('not a snapshot at all'), 'bad magic'],
    ] as const) {
      const r = await dc.http('s1', '/v1/snapshot', { method: 'PUT', body });
      expect(r.status).toBe(400);
      expect(await r.text()).toContain(text);
    }
    expect(await (await dc.http('s1', '/v1/kv/keep?raw')).text()).toBe('after');

    const restored = await dc.http('s1', '/v1/snapshot', { method: 'PUT', body: file });
    expect(restored.status).toBe(200);
    expect(await (await dc.http('s1', '/v1/kv/keep?raw')).text()).toBe('before');
    expect((await dc.http('s1', '/v1/kv/extra')).status).toBe(404);
    // The cluster keeps working after the restore.
    expect(await (await dc.http('s1', '/v1/kv/new', { method: 'PUT', body: 'y' })).json()).toBe(true);
  });
});

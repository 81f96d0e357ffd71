import { describe, expect, it } from 'vitest';
import { agentConfigFor, nodesOf, specFromParams } from './cluster-spec.ts';

describe('cluster spec', () => {
  it('turns memberlist compression off by default and on with compress=1', () => {
    const off = specFromParams(new URLSearchParams('seed=3'));
    const on = specFromParams(new URLSearchParams('seed=3&compress=1'));
    const [first] = nodesOf(off);
    if (!first) throw new Error('no node');
    expect(agentConfigFor(first, off, 1).gossip?.compression).toBe(false);
    expect(agentConfigFor(first, on, 1).gossip?.compression).toBe(true);
    expect(specFromParams(new URLSearchParams('compress=0')).gossipCompression).toBe(false);
  });

  it('rejects a compress value other than 0 or 1', () => {
    expect(() => specFromParams(new URLSearchParams('compress=yes'))).toThrow(/compress must be 0 or 1/);
  });
});

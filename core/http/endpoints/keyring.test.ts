import { describe, expect, it } from 'vitest';
import { base64Error } from '../../gossip/serf/key-manager.ts';
import { keyringErrors } from './keyring.ts';

const pool = (WAN: boolean, error: string, Messages: Record<string, string> = {}) => ({ WAN, Datacenter: 'dc1', Segment: '', Messages, Keys: {}, PrimaryKeys: {}, NumNodes: 3, Error: error });

describe('/v1/operator/keyring errors', () => {
  it("formats pool failures as Go's multierror, node messages after their pool", () => {
    expect(keyringErrors([pool(true, ''), pool(false, '')])).toBeUndefined();
    expect(keyringErrors([pool(true, '1/1 nodes reported failure', { 's1.dc1': 'Removing the primary key is not allowed' }), pool(false, '3/3 nodes reported failure', { s2: 'x', s1: 'y' })])).toBe(
      '5 errors occurred:\n\t* WAN error: 1/1 nodes reported failure\n\t* s1.dc1: Removing the primary key is not allowed\n\t* dc1 (LAN) error: 3/3 nodes reported failure\n\t* s1: y\n\t* s2: x\n\n',
    );
    expect(keyringErrors([pool(false, 'illegal base64 data at input byte 4')])).toBe('1 error occurred:\n\t* dc1 (LAN) error: illegal base64 data at input byte 4\n\n');
  });

  it("reports bad base64 the way Go's decoder does", () => {
    expect(base64Error('HS5lJ+XuTlYKWaeGYyG+/A==')).toBeUndefined();
    expect(base64Error('abc!')).toBe('illegal base64 data at input byte 3');
    expect(base64Error('abcde')).toBe('illegal base64 data at input byte 4');
    expect(base64Error('ab=c')).toBe('illegal base64 data at input byte 2');
  });
});

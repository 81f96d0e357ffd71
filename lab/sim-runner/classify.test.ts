import { describe, expect, it } from 'vitest';
import { addCrc, addLabelHeader, makeCompoundMessage } from '../../core/gossip/codec/compound.ts';
import { encodeAck, encodePing, encodeSuspect } from '../../core/gossip/memberlist/messages.ts';
import { compressMessage } from '../../core/gossip/memberlist/stream-codec.ts';
import { classifyPacket, raftKind } from './classify.ts';

describe('classifyPacket: memberlist datagrams as the lab draws them', () => {
  const ping = encodePing({ seqNo: 1, node: 's2' });
  const ack = encodeAck({ seqNo: 1, payload: undefined });
  const suspect = encodeSuspect({ incarnation: 3, node: 'c1', from: 's1' });

  it('names plain pings and acks, through CRC and label headers', () => {
    expect(classifyPacket(ping)).toEqual({ kind: 'ping', label: 'ping' });
    expect(classifyPacket(addCrc(ack))).toEqual({ kind: 'ack', label: 'ack' });
    expect(classifyPacket(addLabelHeader(new TextEncoder().encode('lab'), addCrc(ping))).kind).toBe('ping');
  });

  it('draws a compound packet by its most telling part, suspicion first', () => {
    expect(classifyPacket(makeCompoundMessage([ping, suspect]))).toEqual({ kind: 'suspect', label: 'ping+suspect' });
    expect(classifyPacket(makeCompoundMessage([ack, ping]))).toEqual({ kind: 'ping', label: 'ack+ping' });
  });

  it('looks inside compressed packets', () => {
    const big = makeCompoundMessage([ping, suspect, ...Array.from({ length: 20 }, () => suspect)]);
    expect(classifyPacket(addCrc(compressMessage(big))).kind).toBe('suspect');
  });

  it('does not throw on garbage', () => {
    expect(classifyPacket(new Uint8Array([7, 255, 255])).kind).toBe('broadcast');
    expect(classifyPacket(new Uint8Array([])).kind).toBe('broadcast');
  });
});

describe('raftKind', () => {
  it('groups Raft messages into the filter kinds', () => {
    expect(raftKind('MsgPreVote')).toBe('vote');
    expect(raftKind('MsgVoteResp')).toBe('vote');
    expect(raftKind('MsgApp')).toBe('append');
    expect(raftKind('MsgAppResp')).toBe('append');
    expect(raftKind('MsgHeartbeat')).toBe('heartbeat');
    expect(raftKind('MsgSnap')).toBe('snapshot');
  });
});

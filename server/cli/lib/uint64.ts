/** Go's strconv.ParseUint(s, 0, 64) for flag values (decimal, 0x hex, 0o/0 octal, 0b binary); throws Go's text. */
export function parseUint64(s: string): bigint {
  const t = s.replaceAll('_', '');
  const ok = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]*|[1-9]\d*)$/.test(t);
  if (!ok) throw new Error(`parse error`);
  const n = /^0[0-7]+$/.test(t) ? BigInt(`0o${t.slice(1)}`) : BigInt(t);
  if (n > 0xffffffffffffffffn) throw new Error('value out of range');
  return n;
}

/**
 * KV values: Consul stores bytes and sends them base64-encoded (null for empty). The editor shows
 * them as UTF-8 text when they are valid UTF-8, else as base64; flags are uint64 decimals.
 */

/** Decodes standard base64 to bytes; throws on invalid input. */
export function decodeBase64(b64: string): Uint8Array {
  const clean = b64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) throw new Error('Not valid base64.');
  const binary = atob(clean);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Encodes bytes as standard base64. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The bytes as text if they are valid UTF-8, else null. */
export function utf8Text(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** A KV value ready for the editor: its base64 and, when it is UTF-8, its text. */
export interface ValueView {
  base64: string;
  text: string | null;
}

/** Builds the editor's view of a KVPair `Value` (null = empty value). */
export function viewValue(value: string | null): ValueView {
  if (value === null || value === '') return { base64: '', text: '' };
  return { base64: value, text: utf8Text(decodeBase64(value)) };
}

/** The bytes to PUT for what is in the editor, in text or base64 mode. */
export function editorBytes(content: string, mode: 'text' | 'base64'): Uint8Array {
  return mode === 'text' ? new TextEncoder().encode(content) : decodeBase64(content);
}

const UINT64_MAX = 18446744073709551615n;

/** Validates flags as a uint64 decimal; returns the canonical string or an error text. */
export function parseFlags(input: string): { ok: true; value: string } | { ok: false; error: string } {
  const s = input.trim() === '' ? '0' : input.trim();
  if (!/^\d+$/.test(s)) return { ok: false, error: 'Flags must be a whole number from 0 to 18446744073709551615.' };
  const n = BigInt(s);
  if (n > UINT64_MAX) return { ok: false, error: 'Flags must be a whole number from 0 to 18446744073709551615.' };
  return { ok: true, value: n.toString() };
}

/** Whether text parses as JSON (the editor's JSON hint). */
export function isJson(text: string): boolean {
  if (text.trim() === '') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

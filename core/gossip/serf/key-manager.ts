/**
 * Cluster-wide keyring management over serf's internal queries (hashicorp/serf internal_query.go,
 * keymanager.go): `_serf_install-key`, `_serf_use-key`, `_serf_remove-key` carry
 * [messageKeyRequestType][msgpack keyRequest{Key}], `_serf_list-keys` carries nothing; every node
 * answers [messageKeyResponseType][msgpack nodeKeyResponse{Result, Message, Keys, PrimaryKey}].
 */
import {
  decodeStruct,
  fieldArray,
  fieldBool,
  fieldBytes,
  fieldString,
  fromUtf8,
  GoMsgpackWriter,
  writeStruct,
} from '../codec/msgpack.ts';
import { type Keyring, toBase64 } from '../security/keyring.ts';
import { SerfMessageType } from './messages.ts';
import type { Serf } from './serf.ts';

export type KeyOperation = 'install-key' | 'use-key' | 'remove-key' | 'list-keys';

interface NodeKeyResponse {
  result: boolean;
  message: string;
  keys: string[];
  primaryKey: string;
}

function encodeKeyRequest(key: Uint8Array): Uint8Array {
  const w = new GoMsgpackWriter();
  w.byte(SerfMessageType.keyRequest);
  writeStruct(w, [['Key', (x) => x.raw(key)]]);
  return w.finish();
}

function encodeKeyResponse(r: NodeKeyResponse): Uint8Array {
  const w = new GoMsgpackWriter();
  w.byte(SerfMessageType.keyResponse);
  writeStruct(w, [
    ['Result', (x) => x.bool(r.result)],
    ['Message', (x) => x.str(r.message)],
    [
      'Keys',
      (x) => {
        if (r.keys.length === 0) {
          x.nil();
          return;
        }
        x.arrayHeader(r.keys.length);
        for (const k of r.keys) x.str(k);
      },
    ],
    ['PrimaryKey', (x) => x.str(r.primaryKey)],
  ]);
  return w.finish();
}

function decodeKeyResponse(buf: Uint8Array): NodeKeyResponse {
  if (buf[0] !== SerfMessageType.keyResponse) throw new Error(`bad key response type ${buf[0]}`);
  const r = decodeStruct(buf.subarray(1));
  return {
    result: fieldBool(r, 'Result'),
    message: fieldString(r, 'Message'),
    keys: fieldArray(r, 'Keys').map((k) => (k instanceof Uint8Array ? fromUtf8(k) : String(k))),
    primaryKey: fieldString(r, 'PrimaryKey'),
  };
}

/**
 * Answers serf's internal key queries against `keyring` (pass it to Serf as `internalQuery`).
 * Returns undefined for other internal queries (ping needs only the ack).
 */
export function keyQueryResponder(keyring: Keyring, onChange?: (keyring: Keyring) => string | undefined): (name: string, payload: Uint8Array) => Uint8Array | undefined {
  return (name, payload) => {
    const op = name.slice('_serf_'.length);
    if (op !== 'install-key' && op !== 'use-key' && op !== 'remove-key' && op !== 'list-keys') return undefined;
    const resp: NodeKeyResponse = { result: false, message: '', keys: [], primaryKey: '' };
    try {
      if (op === 'list-keys') {
        if (!keyring.enabled) resp.message = 'Keyring is empty (encryption not enabled)';
        else {
          resp.keys = keyring.list().map(toBase64);
          resp.primaryKey = toBase64(keyring.primary() as Uint8Array);
          resp.result = true;
        }
      } else if (!keyring.enabled) {
        resp.message = 'No keyring to modify (encryption not enabled)';
      } else {
        const key = fieldBytes(decodeStruct(payload.subarray(1)), 'Key');
        if (op === 'install-key') keyring.install(key);
        else if (op === 'use-key') keyring.use(key);
        else keyring.remove(key);
        // Serf writes the keyring file after every change and reports a failed write as failure.
        const saveError = onChange?.(keyring);
        if (saveError) resp.message = saveError;
        else resp.result = true;
      }
    } catch (err) {
      resp.message = (err as Error).message;
    }
    return encodeKeyResponse(resp);
  };
}

/** What a cluster-wide key operation gathered (serf's KeyResponse). */
export interface KeyOperationResult {
  numNodes: number;
  numResp: number;
  numErr: number;
  /** Error messages by node. */
  messages: Record<string, string>;
  /** For list-keys: how many nodes hold each key, and have it as primary. */
  keys: Record<string, number>;
  primaryKeys: Record<string, number>;
}

/**
 * Go's base64.StdEncoding error for `text` ("illegal base64 data at input byte N"), or undefined
 * when it decodes.
 */
export function base64Error(text: string): string | undefined {
  const bad = /[^A-Za-z0-9+/=]/.exec(text);
  if (bad) return `illegal base64 data at input byte ${bad.index}`;
  const pad = text.indexOf('=');
  if (pad >= 0 && /[^=]/.test(text.slice(pad))) return `illegal base64 data at input byte ${pad}`;
  if (text.length % 4 !== 0) return `illegal base64 data at input byte ${text.length - (text.length % 4)}`;
  return undefined;
}

function decodeBase64(text: string): Uint8Array {
  const raw = atob(text);
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/**
 * Runs a key operation across the pool (serf's KeyManager.handleKeyRequest): the key is only
 * base64-decoded here, each node validates it. `done` gets the gathered result and serf's error
 * ("N/M nodes reported failure" / "N/M nodes reported success") or undefined. It is called once,
 * as soon as every member answered or when the query times out.
 */
export function keyOperation(
  serf: Serf,
  op: KeyOperation,
  keyBase64: string | undefined,
  done: (r: KeyOperationResult, error: string | undefined) => void,
  relayFactor = 0,
): void {
  const result: KeyOperationResult = { numNodes: serf.numNodes(), numResp: 0, numErr: 0, messages: {}, keys: {}, primaryKeys: {} };
  let payload: Uint8Array = new Uint8Array(0);
  if (op !== 'list-keys') {
    const bad = base64Error(keyBase64 ?? '');
    if (bad) {
      done({ ...result, numNodes: 0 }, bad);
      return;
    }
    payload = encodeKeyRequest(decodeBase64(keyBase64 ?? ''));
  }
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    let error: string | undefined;
    if (result.numErr !== 0) error = `${result.numErr}/${result.numNodes} nodes reported failure`;
    else if (result.numResp !== result.numNodes) error = `${result.numResp}/${result.numNodes} nodes reported success`;
    done(result, error);
  };
  serf.query(`_serf_${op}`, payload, { relayFactor }, {
    onResponse: (from, buf) => {
      if (finished) return;
      result.numResp++;
      let r: NodeKeyResponse;
      try {
        r = decodeKeyResponse(buf);
      } catch (err) {
        result.numErr++;
        result.messages[from] = (err as Error).message;
        return;
      }
      if (!r.result) {
        result.numErr++;
        result.messages[from] = r.message;
      }
      for (const k of r.keys) result.keys[k] = (result.keys[k] ?? 0) + 1;
      if (r.primaryKey) result.primaryKeys[r.primaryKey] = (result.primaryKeys[r.primaryKey] ?? 0) + 1;
      if (result.numResp >= result.numNodes) finish();
    },
    onDone: finish,
  });
}

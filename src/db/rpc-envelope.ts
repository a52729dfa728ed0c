// The WebSocket RPC envelope around the native engine's bare CBOR results, built from bytes: the
// result is spliced in as it came from the engine, never decoded and re-encoded, so every
// SurrealDB type (record ids, datetimes, decimals, ...) reaches the client exactly as the engine
// wrote it, and large results cost one copy.
import { CborCodec } from "surrealdb";

export const codec = CborCodec.DEFAULT;

const enc = new TextEncoder();
/** CBOR text string header + bytes for a short ASCII key. */
function key(k: string): Uint8Array {
  const b = enc.encode(k);
  return Uint8Array.of(0x60 + b.length, ...b);
}
const KEY_ID = key("id");
const KEY_RESULT = key("result");
const MAP1 = 0xa1;
const MAP2 = 0xa2;
const ERROR_MAP_PREFIX = Uint8Array.of(MAP1, ...key("error"));

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The engine answers an RPC error with a one-entry map `{error: {code, message, kind, ...}}`
 * in place of the result. A record can have an `error` field too, but a record always has an
 * `id` as well, so a one-entry map whose key is `error` and whose value carries a numeric code
 * and a message is the engine's error.
 */
export function isEngineError(raw: Uint8Array): boolean {
  if (raw.length < ERROR_MAP_PREFIX.length || raw[0] !== MAP1) return false;
  for (let i = 1; i < ERROR_MAP_PREFIX.length; i++) if (raw[i] !== ERROR_MAP_PREFIX[i]) return false;
  try {
    const err = (codec.decode(raw) as { error?: unknown }).error as { code?: unknown; message?: unknown } | undefined;
    return typeof err === "object" && err !== null && typeof err.code === "number" && typeof err.message === "string";
  } catch {
    return false;
  }
}

/** `{id, result}` or `{id, error}` around an engine answer, like SurrealDB's own /rpc. */
export function wrapResponse(id: unknown, raw: Uint8Array): Uint8Array {
  const idPart = concat([KEY_ID, codec.encode(id)]);
  if (isEngineError(raw)) return concat([Uint8Array.of(MAP2), idPart, raw.subarray(1)]);
  return concat([Uint8Array.of(MAP2), idPart, KEY_RESULT, raw]);
}

/** A live notification as the server pushes it: `{result: notification}` with no id. */
export function wrapNotification(raw: Uint8Array): Uint8Array {
  return concat([Uint8Array.of(MAP1), KEY_RESULT, raw]);
}

export interface RpcErrorBody {
  code: number;
  message: string;
  kind: string;
}

/** An error the host itself gives (auth, bad request), in the server's error shape. */
export function errorResponse(id: unknown, body: RpcErrorBody): Uint8Array {
  return codec.encode({ id, error: body }) as Uint8Array;
}

export function resultResponse(id: unknown, result: unknown): Uint8Array {
  return codec.encode({ id, result }) as Uint8Array;
}

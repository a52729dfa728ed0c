// Records as callers see them: ids as "table:id" text and datetimes as ISO strings, so results
// serialise to JSON the same way whichever connection (embedded or WebSocket) read them.
import { DateTime, RecordId } from "surrealdb";
import { idText } from "../core/ids.js";

/** An object type without interface nominality, so it fits `{ [key: string]: unknown }` outputs. */
export type Flat<T> = { [K in keyof T]: T[K] };

export function plain<T = Record<string, unknown>>(value: unknown): T {
  return convert(value) as T;
}

function convert(v: unknown): unknown {
  if (v instanceof RecordId) return idText(v);
  if (v instanceof DateTime) return v.toDate().toISOString();
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(convert);
  if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = convert(x);
    return out;
  }
  if (typeof v === "bigint") return Number(v);
  return v;
}

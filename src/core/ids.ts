// Record ids, one home for every rule about them. An id that comes from outside (a tool argument,
// a URI, a job's args) is checked against one strict shape and becomes a bound RecordId, so no query
// is ever built by pasting a caller's text into SurrealQL, and a key that passed is safe in a file name
// or an object-store key.
import { RecordId } from "surrealdb";
import { invalidInput } from "../errors.js";

/** A record key: what SurrealDB generates (20 lowercase letters and digits) or ≤ 64 letters, digits and _. */
export const RECORD_KEY = "[A-Za-z0-9_]{1,64}";
const KEY = new RegExp(`^${RECORD_KEY}$`);

/** The tables whose ids callers see. */
export type IdTable = "episode" | "notebook" | "source" | "command";

const EXAMPLE: Record<IdTable, string> = {
  episode: "an episode id like episode:abc123, as returned by generate_podcast",
  notebook: "a notebook id like notebook:abc123, as returned by create_notebook",
  source: "a source id like source:abc123",
  command: "a job id like command:abc123, as returned by generate_podcast",
};

/** `table:key` (or, with `bareAllowed`, also the bare key), the key as capture group 1. */
export function recordIdPattern(table: IdTable, bareAllowed = false): RegExp {
  return new RegExp(`^${bareAllowed ? `(?:${table}:)?` : `${table}:`}(${RECORD_KEY})$`);
}

/** The rule an id breaks, in the words error messages use. */
export function idRule(table: IdTable): string {
  return `must be ${EXAMPLE[table]} (letters, digits or _ after the colon, at most 64)`;
}

/** "episode:abc" → "abc"; "abc" stays "abc". No check: see parseRecordId. */
export function bareKey(table: IdTable, id: string): string {
  return id.startsWith(`${table}:`) ? id.slice(table.length + 1) : id;
}

/**
 * "table:key" or (unless `strict`) the bare "key" → RecordId; anything else → invalid_input naming
 * the field. Job ids are taken in full only (strict), as the queue has always printed them.
 */
export function parseRecordId<T extends IdTable>(
  table: T,
  raw: unknown,
  field: string,
  strict = false,
): RecordId<T, string> {
  if (typeof raw !== "string") throw invalidInput(field, idRule(table));
  if (strict && !raw.startsWith(`${table}:`)) throw invalidInput(field, idRule(table));
  const key = bareKey(table, raw);
  if (!KEY.test(key)) throw invalidInput(field, idRule(table));
  return new RecordId(table, key);
}

/** "table:key" text of a record id, as callers see it (anything else as its string). */
export function idText(id: unknown): string {
  if (id instanceof RecordId) return `${id.table.name}:${String(id.id)}`;
  return String(id);
}

/** A job id in full ("command:abc"), checked; invalid_input on job_id otherwise. */
export function parseJobId(raw: unknown, field = "job_id"): string {
  return idText(parseRecordId("command", raw, field, true));
}

export function jobRecordId(raw: unknown, field = "job_id"): RecordId<"command", string> {
  return parseRecordId("command", raw, field, true);
}

/** "abc" or "table:abc" → "table:abc" (checked). */
export function withTable(table: IdTable, raw: unknown, field: string): string {
  return idText(parseRecordId(table, raw, field));
}

const KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A 20-character key like the ones SurrealDB generates, made here so one transaction can name the
 * records it creates and link them (an episode and its job). Bytes ≥ 252 are drawn again, so every
 * character is equally likely (252 = 7 × 36).
 */
export function randomKey(): string {
  let out = "";
  while (out.length < 20) {
    for (const b of crypto.getRandomValues(new Uint8Array(24)))
      if (b < 252 && out.length < 20) out += KEY_CHARS[b % 36];
  }
  return out;
}

// Record ids from callers are checked against one strict shape and turned into RecordId values,
// so no query is ever built by pasting a caller's text into SurrealQL.
import { RecordId } from "surrealdb";
import { invalidInput } from "../errors.js";
import { RECORD_KEY } from "../db/record-key.js";

/** What SurrealDB generates (20 lowercase letters/digits) and what we accept: letters, digits, _. */
const ID_PART = new RegExp(`^${RECORD_KEY}$`);

export type DomainTable = "episode" | "notebook" | "source";

/** "episode:abc" or "abc" → RecordId("episode", "abc"); anything else → invalid_input naming the field. */
export function parseRecordId(table: DomainTable, raw: unknown, field: string): RecordId<DomainTable, string> {
  if (typeof raw !== "string") throw invalidInput(field, `must be a string id like ${table}:abc123`);
  const bare = raw.startsWith(`${table}:`) ? raw.slice(table.length + 1) : raw;
  if (!ID_PART.test(bare)) throw invalidInput(field, `must be an id like ${table}:abc123 (letters, digits and _ only)`);
  return new RecordId(table, bare);
}

/** "table:id" text of a record id, as callers see it. */
export function idText(id: unknown): string {
  if (id instanceof RecordId) return `${id.table.name}:${String(id.id)}`;
  return String(id);
}

/** The bare id part, which is safe for file names because it passed ID_PART. */
export function bareId(id: RecordId): string {
  const bare = String(id.id);
  if (!ID_PART.test(bare)) throw invalidInput("id", "must be letters, digits and _ only");
  return bare;
}

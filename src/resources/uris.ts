// Resource URIs. Ids appear as the tools return them (episode:abc, command:abc); the bare key
// (abc) is accepted too. Nothing in a URI is ever used as a file path.
export const EPISODES_URI = "podcast://episodes";

import { bareKey, type IdTable } from "../core/ids.js";

type Table = Exclude<IdTable, "source">;

/** Ids whose full or bare spelling starts with what the client typed, for template completion. */
export function completeIds(ids: string[], table: Table, prefix: string): string[] {
  return ids.filter((id) => id.startsWith(prefix) || bareKey(table, id).startsWith(prefix)).slice(0, 100);
}

/** The two spellings of one record's URIs, so a notification reaches whichever a client used. */
export function uriVariants(kind: "episodes" | "jobs", id: string, suffix = ""): string[] {
  const table = kind === "episodes" ? "episode" : "command";
  const key = bareKey(table, id);
  return [`podcast://${kind}/${table}:${key}${suffix}`, `podcast://${kind}/${key}${suffix}`];
}

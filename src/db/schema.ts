// The full migration list. Each domain owns its migrations (src/queue/schema.ts,
// src/podcasts/schema.ts, ...); the lead passes them in here so db/ imports nothing from them.
import { checkMigrations, type Migration } from "./migrations.js";

/** Concatenates the domains' migrations, checks ids are unique, and sorts them by id. */
export function allMigrations(extra: Migration[][]): Migration[] {
  const all = extra.flat();
  checkMigrations(all);
  return all.sort((a, b) => a.id - b.id);
}

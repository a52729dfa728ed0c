// Numbered schema migrations, applied in id order at start and recorded in the `migration`
// table (record id = migration id), so each runs once per database. Each one runs in a single
// transaction together with its record: when two processes start at once, one commits, the
// other's CREATE of the same record fails, and the loser re-reads, sees it applied and moves on.
// A migration's `sql` must not contain BEGIN/COMMIT itself.
//
// Migrations define tables with OVERWRITE, so pointed at a database another application already
// uses (Open Notebook keeps `notebook`, `source`, `episode_profile`, `speaker_profile`, `episode`
// and `command` under the same names) they would redefine its tables and break it. So before the
// first migration, a database that holds tables but no `migration` table of ours is refused.
import { RecordId, type QueryResponse } from "surrealdb";
import { AppError } from "../errors.js";
import { backoffMs } from "../core/resilience/backoff.js";
import { withConflictRetry } from "../core/resilience/conflict.js";
import { sleep } from "../core/resilience/sleep.js";
import type { Db } from "./connect.js";

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

const MIGRATION_TABLE = "migration";

const BOOTSTRAP = `
DEFINE TABLE IF NOT EXISTS ${MIGRATION_TABLE} SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS name ON ${MIGRATION_TABLE} TYPE string;
DEFINE FIELD IF NOT EXISTS applied_at ON ${MIGRATION_TABLE} TYPE datetime;
`;

const MAX_ATTEMPTS = 20;

/** Throws unless every id is a positive whole number, unique, and every migration has a name and sql. */
export function checkMigrations(migrations: Migration[]): void {
  const seen = new Map<number, string>();
  for (const m of migrations) {
    if (!Number.isInteger(m.id) || m.id < 1)
      throw new AppError(
        "internal",
        `migration ${JSON.stringify(m.name)}: id must be a positive whole number (got ${m.id})`,
      );
    if (!m.name.trim()) throw new AppError("internal", `migration ${m.id}: name must not be empty`);
    if (!m.sql.trim()) throw new AppError("internal", `migration ${m.id} (${m.name}): sql must not be empty`);
    const other = seen.get(m.id);
    if (other !== undefined)
      throw new AppError(
        "internal",
        `migration ids must be unique: ${m.id} is used by both ${JSON.stringify(other)} and ${JSON.stringify(m.name)}`,
      );
    seen.set(m.id, m.name);
  }
}

/** 10–20 ms growing to 250–500 ms between tries: another process is applying the same migration. */
const backoff = (attempt: number) => backoffMs(attempt + 1, 20, 500);

async function isApplied(db: Db, id: number): Promise<boolean> {
  const rec = await db.select(new RecordId(MIGRATION_TABLE, id));
  return rec !== undefined && rec !== null;
}

/** The error that failed the transaction, not the "not executed" echoes of the other statements. */
function firstCause(responses: QueryResponse[]): Error | undefined {
  const errors = responses.flatMap((r) => (r.success ? [] : [r.error]));
  return errors.find((e) => !/not executed due to a failed transaction/i.test(e.message)) ?? errors[0];
}

/** Our `migration` table: only our fields (none yet while another process bootstraps it), numeric ids. */
async function isOurMigrationTable(db: Db): Promise<boolean> {
  const [info] = await db.query<[{ fields?: Record<string, unknown> }]>(`INFO FOR TABLE ${MIGRATION_TABLE}`);
  if (!Object.keys(info?.fields ?? {}).every((f) => f === "name" || f === "applied_at")) return false;
  const [ids] = await db.query<[RecordId[]]>(`SELECT VALUE id FROM ${MIGRATION_TABLE} LIMIT 100`);
  return ids.every((id) => typeof id.id === "number");
}

/** Throws, naming the tables, when the database holds tables that our migrations did not create. */
async function refuseForeignDatabase(db: Db): Promise<void> {
  const [info] = await db.query<[{ tables?: Record<string, unknown> }]>("INFO FOR DB");
  const tables = Object.keys(info?.tables ?? {}).sort();
  if (tables.length === 0) return;
  if (tables.includes(MIGRATION_TABLE) && (await isOurMigrationTable(db))) return;
  const [where] = await db.query<[string]>("RETURN session::ns() + '/' + session::db()");
  const shown = tables.length > 12 ? [...tables.slice(0, 12), `… ${tables.length - 12} more`] : tables;
  throw new AppError(
    "conflict",
    `The database ${where} already holds tables that podcast-mcp did not create (${shown.join(", ")}) ` +
      `and no podcast-mcp ${MIGRATION_TABLE} table: refusing to migrate it, which would redefine those tables ` +
      "and break the application that owns them. Point SURREAL_NAMESPACE / SURREAL_DATABASE at a database " +
      "of podcast-mcp's own (the default namespace is podcast_mcp)",
  );
}

async function bootstrap(db: Db): Promise<void> {
  try {
    await withConflictRetry(async () => void (await db.query(BOOTSTRAP)), MAX_ATTEMPTS);
  } catch (err) {
    throw new AppError("internal", `could not create the ${MIGRATION_TABLE} table: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

async function applyOne(db: Db, m: Migration): Promise<boolean> {
  const body = m.sql.trim().replace(/;+\s*$/, "");
  const sql = `BEGIN TRANSACTION;\n${body};\nCREATE $migration CONTENT { name: $name, applied_at: time::now() };\nCOMMIT TRANSACTION;`;
  for (let attempt = 0; ; attempt++) {
    if (await isApplied(db, m.id)) return false;
    let cause: Error | undefined;
    try {
      const responses = await db
        .query(sql, { migration: new RecordId(MIGRATION_TABLE, m.id), name: m.name })
        .responses();
      cause = firstCause(responses);
    } catch (err) {
      cause = err as Error;
    }
    if (!cause) return true;
    // Lost the race to another process: it is applied now, and that is what we wanted.
    if (await isApplied(db, m.id)) return false;
    // Any failure may be a race with another process applying the same migration (seen: its
    // DEFINE TABLE not yet committed when our DEFINE FIELD … FLEXIBLE ran, "FLEXIBLE can only be
    // used in SCHEMAFULL tables"). The transaction rolled back whole, so try again until the
    // winner's record shows up; a migration that is really broken fails every attempt.
    if (attempt + 1 >= MAX_ATTEMPTS) {
      throw new AppError("internal", `migration ${m.id} (${m.name}) failed: ${cause.message}`, { cause });
    }
    await sleep(backoff(attempt));
  }
}

/** Applies the migrations not yet recorded, in id order; returns how many this call applied. */
export async function migrate(db: Db, migrations: Migration[]): Promise<number> {
  checkMigrations(migrations);
  await refuseForeignDatabase(db);
  await bootstrap(db);
  let applied = 0;
  for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
    if (await applyOne(db, m)) applied++;
  }
  return applied;
}

/** The ids recorded as applied, ascending. */
export async function appliedMigrations(db: Db): Promise<Array<{ id: number; name: string; applied_at: Date }>> {
  const [rows] = await db.query<[Array<{ id: RecordId; name: string; applied_at: { toDate(): Date } | Date }>]>(
    `SELECT * FROM ${MIGRATION_TABLE} ORDER BY id`,
  );
  return rows.map((r) => ({
    id: Number(r.id.id),
    name: r.name,
    applied_at: r.applied_at instanceof Date ? r.applied_at : r.applied_at.toDate(),
  }));
}

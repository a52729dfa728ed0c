// The whole schema applies on a fresh store, twice is a no-op, and a table that a stray write
// created implicitly (schemaless) before its migration still ends up SCHEMAFULL. Before the first
// migration, though, any table may be another application's: that database is refused
// (test/db/foreign-db.test.ts).
import { afterAll, expect, it } from "vitest";
import path from "node:path";
import { connect, migrate, type Db } from "../../src/db/index.js";
import { MIGRATIONS } from "../../src/schema.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";

const dbs: Db[] = [];
afterAll(async () => {
  for (const db of dbs) await db.close().catch(() => {});
  await stopAll();
});

async function fresh(): Promise<Db> {
  const db = await connect({ url: `rocksdb://${path.join(tmpDataDir(), "db")}`, namespace: "t", database: "t" });
  dbs.push(db);
  return db;
}

it("applies every migration once", async () => {
  const db = await fresh();
  expect(await migrate(db, MIGRATIONS)).toBe(MIGRATIONS.length);
  expect(await migrate(db, MIGRATIONS)).toBe(0);
});

it("makes a table created implicitly between migrations SCHEMAFULL", async () => {
  const db = await fresh();
  await migrate(
    db,
    MIGRATIONS.filter((m) => m.id < 200),
  );
  await db.query("CREATE episode SET stray = true").collect();
  await migrate(db, MIGRATIONS);
  const [info] = await db.query<[{ tables: Record<string, string> }]>("INFO FOR DB").collect();
  expect(info.tables.episode).toMatch(/SCHEMAFULL/);
});

it("refuses a table created before the first migration: it may be another application's", async () => {
  const db = await fresh();
  await db.query("CREATE command SET stray = true").collect();
  await expect(migrate(db, MIGRATIONS)).rejects.toThrow(/did not create \(command\)/);
});

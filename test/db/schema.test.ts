// The whole schema applies on a fresh store, twice is a no-op, and a table that a stray write
// created implicitly (schemaless) before its migration still ends up SCHEMAFULL.
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

it("makes an implicitly created table SCHEMAFULL", async () => {
  const db = await fresh();
  await db.query("CREATE command SET stray = true").collect();
  await migrate(db, MIGRATIONS);
  const [info] = await db.query<[{ tables: Record<string, string> }]>("INFO FOR DB").collect();
  expect(info.tables.command).toMatch(/SCHEMAFULL/);
});

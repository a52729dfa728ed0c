// An embedded rocksdb:// store in a temp dir with the queue's migrations applied. rocksdb (not
// mem:// or surrealkv://) because exclusivity was measured to hold there.
import { connect, migrate, type Db } from "../../src/db/index.js";
import { queueMigrations } from "../../src/queue/schema.js";
import { tmpDataDir } from "../helpers/procs.js";

export async function openTestDb(): Promise<Db> {
  const dir = tmpDataDir("podcast-mcp-queue-");
  const db = await connect({ url: `rocksdb://${dir}/db`, namespace: "test", database: "test" });
  await migrate(db, queueMigrations);
  return db;
}

export async function countRows(db: Db, table: string): Promise<number> {
  const [rows] = await db.query<[Array<{ c: number }>]>(`SELECT count() AS c FROM ${table} GROUP ALL`).collect();
  return rows[0]?.c ?? 0;
}

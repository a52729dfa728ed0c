// An embedded rocksdb:// store in a temp dir with the queue's migrations applied. rocksdb (not
// mem:// or surrealkv://) because exclusivity was measured to hold there.
import { afterAll, beforeAll } from "vitest";
import { connect, migrate, type Db } from "../../src/db/index.js";
import { CommandRegistry, Queue } from "../../src/queue/index.js";
import { TEST_COMMANDS } from "../../src/testing/commands.js";
import { queueMigrations } from "../../src/queue/schema.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";

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

/** A test DB and a queue over it with the built-in commands, for a whole file; closed afterwards. */
export function useQueueDb(assign: (db: Db, queue: Queue) => void): void {
  let db: Db | undefined;
  beforeAll(async () => {
    db = await openTestDb();
    assign(db, new Queue(db, new CommandRegistry(TEST_COMMANDS)));
  });
  afterAll(async () => {
    await db?.close();
    await stopAll();
  });
}

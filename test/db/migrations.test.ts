// Migrations on the real embedded engine: in-process mem:// and two clients of one local DB host.
import { afterAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { silentLogger } from "../../src/log.js";
import { loadConfig } from "../../src/config.js";
import {
  allMigrations,
  appliedMigrations,
  connect,
  connectFromConfig,
  migrate,
  startDbHost,
  type Db,
  type DbHost,
  type Migration,
} from "../../src/db/index.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";

const M: Migration[] = [
  { id: 1, name: "person table", sql: "DEFINE TABLE person SCHEMAFULL; DEFINE FIELD name ON person TYPE string;" },
  { id: 2, name: "person email", sql: "DEFINE FIELD email ON person TYPE option<string>;\n" },
];

const open: Db[] = [];
const hosts: DbHost[] = [];
afterAll(async () => {
  await Promise.all(open.map((db) => db.close()));
  await Promise.all(hosts.map((h) => h.stop()));
  await stopAll();
});

async function mem(): Promise<Db> {
  const db = await connect({ url: "mem://", namespace: "t", database: "t" });
  open.push(db);
  return db;
}

describe("migrate", () => {
  it("applies each migration once and records it", async () => {
    const db = await mem();
    expect(await migrate(db, M)).toBe(2);
    expect(await migrate(db, M)).toBe(0);
    const rows = await appliedMigrations(db);
    expect(rows.map((r) => [r.id, r.name])).toEqual([
      [1, "person table"],
      [2, "person email"],
    ]);
    expect(rows[0]!.applied_at).toBeInstanceOf(Date);
    // The schema really is there: the SCHEMAFULL table rejects a wrong type.
    await db.query("CREATE person:a SET name = 'Ada', email = 'ada@example.org'");
    await expect(db.query("CREATE person:b SET name = 42")).rejects.toThrow(/name/);
  });

  it("applies only the new ones when the list grows", async () => {
    const db = await mem();
    expect(await migrate(db, M.slice(0, 1))).toBe(1);
    expect(await migrate(db, M)).toBe(1);
    expect((await appliedMigrations(db)).map((r) => r.id)).toEqual([1, 2]);
  });

  it("a failing migration names itself, is not recorded, and leaves nothing half-applied", async () => {
    const db = await mem();
    const bad: Migration = { id: 3, name: "broken", sql: "DEFINE TABLE half SCHEMALESS; THROW 'broken on purpose';" };
    const err = await migrate(db, [...M, bad]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).kind).toBe("internal");
    expect((err as AppError).message).toMatch(/migration 3 \(broken\) failed: .*broken on purpose/);
    expect((await appliedMigrations(db)).map((r) => r.id)).toEqual([1, 2]);
    const [tables] = await db.query<[{ tables: Record<string, unknown> }]>("INFO FOR DB");
    expect(Object.keys(tables.tables)).not.toContain("half");
  });

  it("two concurrent migrate() calls on one connection apply each migration once in total", async () => {
    const db = await mem();
    const [a, b] = await Promise.all([migrate(db, M), migrate(db, M)]);
    expect(a + b).toBe(2);
    expect((await appliedMigrations(db)).map((r) => r.id)).toEqual([1, 2]);
  });

  it("two processes' clients racing through one DB host apply each migration once in total", async () => {
    const dataDir = tmpDataDir();
    hosts.push(await startDbHost({ dataDir, log: silentLogger }));
    const config = loadConfig({ PODCAST_MCP_DATA_DIR: dataDir });
    const clients = await Promise.all([
      connectFromConfig(config),
      connectFromConfig(config),
      connectFromConfig(config),
    ]);
    open.push(...clients);
    const many: Migration[] = [
      ...M,
      ...[3, 4, 5, 6].map((id) => ({ id, name: `t${id}`, sql: `DEFINE TABLE t${id} SCHEMALESS;` })),
    ];
    const counts = await Promise.all(clients.map((c) => migrate(c, many)));
    expect(counts.reduce((x, y) => x + y, 0)).toBe(many.length);
    expect((await appliedMigrations(clients[0]!)).map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("rejects duplicate or invalid ids before touching the database", async () => {
    const db = await mem();
    await expect(migrate(db, [M[0]!, { ...M[1]!, id: 1 }])).rejects.toThrow(/ids must be unique: 1/);
    await expect(migrate(db, [{ ...M[0]!, id: 0 }])).rejects.toThrow(/positive whole number/);
  });
});

describe("allMigrations", () => {
  it("concatenates the domains' lists sorted by id", () => {
    const queue = [{ id: 20, name: "q", sql: "DEFINE TABLE q SCHEMALESS" }];
    const podcasts = [{ id: 10, name: "p", sql: "DEFINE TABLE p SCHEMALESS" }];
    expect(allMigrations([queue, podcasts]).map((m) => m.id)).toEqual([10, 20]);
  });
  it("throws on an id two domains both use", () => {
    expect(() => allMigrations([[{ id: 5, name: "a", sql: "x" }], [{ id: 5, name: "b", sql: "y" }]])).toThrow(
      /5 is used by both "a" and "b"/,
    );
  });
});

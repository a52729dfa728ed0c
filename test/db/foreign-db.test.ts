// Issue 9 §6: pointed at a database another application uses, migrate refuses before its first
// statement and leaves that application's schema and rows exactly as they were.
import { afterAll, describe, expect, it } from "vitest";
import { connect, migrate, type Db } from "../../src/db/index.js";
import { AppError } from "../../src/errors.js";
import { MIGRATIONS } from "../../src/schema.js";

const open: Db[] = [];
afterAll(async () => {
  await Promise.all(open.map((db) => db.close()));
});

let n = 0;
async function freshDb(): Promise<Db> {
  const db = await connect({ url: "mem://", namespace: "open_notebook", database: `db${n++}` });
  open.push(db);
  return db;
}

/** Open Notebook's own tables, under the names our migrations also use, with data and a unique index. */
const FOREIGN = `
DEFINE TABLE notebook SCHEMAFULL;
DEFINE FIELD name ON notebook TYPE string;
DEFINE FIELD description ON notebook TYPE option<string>;
DEFINE FIELD archived ON notebook TYPE bool DEFAULT false;
DEFINE TABLE source SCHEMALESS;
DEFINE TABLE episode_profile SCHEMAFULL;
DEFINE FIELD name ON episode_profile TYPE string;
DEFINE FIELD speaker_config ON episode_profile TYPE string;
DEFINE INDEX idx_episode_profile_name ON episode_profile FIELDS name UNIQUE;
DEFINE TABLE speaker_profile SCHEMALESS;
DEFINE TABLE episode SCHEMALESS;
DEFINE TABLE command SCHEMALESS;
CREATE notebook:research SET name = 'Research', description = 'their notes';
CREATE source:paper SET title = 'A paper', full_text = 'Body text';
CREATE episode_profile:tech SET name = 'tech_discussion', speaker_config = 'tech_experts';
CREATE speaker_profile:experts SET name = 'tech_experts', speakers = [{ name: 'Dr. A', voice_id: 'nova' }];
CREATE episode:one SET name = 'Their episode', command = command:job1;
CREATE command:job1 SET app = 'open_notebook', name = 'generate_podcast', status = 'completed';
`;

async function snapshot(db: Db): Promise<unknown> {
  const [info] = await db.query<[{ tables: Record<string, string> }]>("INFO FOR DB");
  const tables: Record<string, unknown> = {};
  for (const name of Object.keys(info.tables).sort()) {
    const [def] = await db.query<[unknown]>(`INFO FOR TABLE ${name}`);
    const [rows] = await db.query<[unknown[]]>(`SELECT * FROM ${name} ORDER BY id`);
    tables[name] = { def, rows };
  }
  return { info, tables };
}

describe("migrate on a database that is not ours", () => {
  it("refuses, naming the tables, and changes nothing in the other application's schema or rows", async () => {
    const db = await freshDb();
    await db.query(FOREIGN);
    const before = await snapshot(db);

    const err = await migrate(db, MIGRATIONS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).kind).toBe("conflict");
    const tables = "command, episode, episode_profile, notebook, source, speaker_profile";
    expect((err as AppError).message).toContain(`already holds tables that podcast-mcp did not create (${tables})`);
    expect((err as AppError).message).toMatch(/^The database open_notebook\/db\d+ .*refusing to migrate.*NAMESPACE/);
    expect(await snapshot(db)).toEqual(before);
    // the other application can still write what our schema would have broken
    await db.query("CREATE episode_profile:other SET name = 'other', speaker_config = 'tech_experts'");
    const duplicate = db.query("CREATE episode_profile:dup SET name = 'other', speaker_config = 'x'");
    await expect(duplicate).rejects.toThrow(/idx_episode_profile_name|already contains/);
  });

  it("refuses a `migration` table that is not ours", async () => {
    const db = await freshDb();
    await db.query(
      "DEFINE TABLE migration SCHEMAFULL; DEFINE FIELD version ON migration TYPE int; " +
        "CREATE migration:1 SET version = 1",
    );
    await expect(migrate(db, MIGRATIONS)).rejects.toThrow(/did not create \(migration\)/);
  });

  it("migrates an empty database, and one it migrated before even after the list grew", async () => {
    const db = await freshDb();
    const first = MIGRATIONS.slice(0, 2);
    expect(await migrate(db, first)).toBe(2);
    expect(await migrate(db, MIGRATIONS)).toBe(MIGRATIONS.length - 2);
    expect(await migrate(db, MIGRATIONS)).toBe(0);
  });
});

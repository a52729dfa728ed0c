// `podcast-mcp generate` beside a running DB host (the store is locked to it) and on bad input.
// The headline check, every seeded profile end to end with its MP3, chapters and stored record,
// is test/cli/profiles.test.ts.
import { existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { connectFromConfig, startDbHost } from "../../src/db/index.js";
import { loadConfig } from "../../src/config.js";
import { silentLogger } from "../../src/log.js";
import { cleanEnv, spawnCli, stopAll, tmpDataDir } from "../helpers/procs.js";

afterAll(stopAll);

describe("podcast-mcp generate", () => {
  it("goes through the local DB host when one runs (the store is locked to it), with literal text", async () => {
    const dataDir = tmpDataDir();
    const host = await startDbHost({ dataDir, log: silentLogger });
    try {
      const p = spawnCli(
        [
          "generate",
          "Tides rise twice a day. The moon pulls the oceans. Sailors plan around them.",
          "--profile",
          "solo_expert",
          "--data-dir",
          dataDir,
        ],
        cleanEnv(),
      );
      const { code } = await p.exited;
      expect(code, p.stderr()).toBe(0);
      const mp3Path = p.stdout().trim();
      expect(existsSync(mp3Path)).toBe(true);
      const db = await connectFromConfig(loadConfig({}, { dataDir }));
      try {
        const [rows] = await db
          .query<[{ name: string; origin: { kind: string; sources: { kind: string }[] } }[]]>(
            "SELECT name, origin FROM episode",
          )
          .collect();
        expect(rows).toHaveLength(1);
        // No title given: the first words as written, marked as cut.
        expect(rows[0]!.name).toBe("Tides rise twice a day. The moon pulls…");
        expect(rows[0]!.origin).toMatchObject({ kind: "sources", sources: [{ kind: "text" }] });
      } finally {
        await db.close();
      }
    } finally {
      await host.stop();
    }
  });

  it("refuses a bad profile and empty input with exit 2 and nothing on stdout", async () => {
    const dataDir = tmpDataDir();
    const bad = spawnCli(
      ["generate", "Some words about the sea.", "--profile", "nope", "--data-dir", dataDir],
      cleanEnv(),
    );
    expect((await bad.exited).code).toBe(2);
    expect(bad.stdout()).toBe("");
    expect(bad.stderr()).toContain('no episode profile named "nope"');
    const none = spawnCli(["generate", "--data-dir", dataDir], cleanEnv());
    expect((await none.exited).code).toBe(2);
    expect(none.stderr()).toContain("give at least one source");
  });
});

// The MCP server and the workers start together and each seeds the profiles: seeding from two
// connections at once must succeed on both and leave exactly one record per profile.
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { connectFromConfig, migrate, startDbHost } from "../../src/db/index.js";
import { silentLogger } from "../../src/log.js";
import { podcastMigrations } from "../../src/podcasts/schema.js";
import { seedProfiles, SEED_EPISODE_PROFILES, SEED_SPEAKER_PROFILES } from "../../src/podcasts/seed.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { count } from "./support.js";

afterAll(stopAll);

describe("seeding from two connections at once", () => {
  it("both succeed, one record per profile", async () => {
    const dataDir = tmpDataDir();
    const host = await startDbHost({ dataDir, log: silentLogger });
    const config = loadConfig({}, { dataDir });
    const a = await connectFromConfig(config);
    const b = await connectFromConfig(config);
    try {
      await migrate(a, podcastMigrations);
      for (let round = 0; round < 3; round++) {
        const created = await Promise.all([seedProfiles(a), seedProfiles(b)]);
        expect(created[0]! + created[1]!).toBe(
          round < 2 ? SEED_EPISODE_PROFILES.length + SEED_SPEAKER_PROFILES.length : 0,
        );
        if (round === 0) await a.query("DELETE episode_profile; DELETE speaker_profile").collect();
      }
      expect(await count(a, "episode_profile")).toBe(SEED_EPISODE_PROFILES.length);
      expect(await count(b, "speaker_profile")).toBe(SEED_SPEAKER_PROFILES.length);
    } finally {
      await a.close();
      await b.close();
      await host.stop();
    }
  });
});

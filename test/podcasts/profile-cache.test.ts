// Submissions read profiles from a cache (two round trips saved per generate_podcast). A profile
// saved elsewhere (another server process: here a second service with a cache of its own) reaches
// it through the LIVE query, long before the entries' 5 s expiry; a save here clears it at once.
import { expect, it } from "vitest";
import { silentLogger } from "../../src/log.js";
import { PodcastService } from "../../src/podcasts/service.js";
import { createProviders, createVoiceCheck } from "../../src/providers/index.js";
import { waitFor } from "../helpers/procs.js";
import { useSetup, type Setup } from "./support.js";

let s: Setup;
useSetup((x) => (s = x));

it("sees another process's profile edit through the LIVE query, and its own at once", async () => {
  const checkVoices = createVoiceCheck(s.config, createProviders(s.config, silentLogger));
  const other = new PodcastService({ db: s.db, queue: s.queue, config: s.config, log: silentLogger, checkVoices });
  const briefingOf = async () => {
    const sub = await s.service.submitEpisode({
      episode_profile: "solo_expert",
      script: [{ speaker: "Sam", text: "Hi." }],
    });
    await s.service.cancelJob(sub.job_id);
    return (await s.service.getEpisode(sub.episode_id)).briefing;
  };
  const before = await briefingOf();
  const { created: _c, updated: _u, ...base } = await s.service.getEpisodeProfile("solo_expert");
  await other.saveEpisodeProfile({ ...base, default_briefing: "Edited elsewhere." });
  const t0 = Date.now();
  await waitFor(async () => (await briefingOf()) === "Edited elsewhere.", 4_000, 20);
  expect(Date.now() - t0).toBeLessThan(4_000);
  expect(before).not.toBe("Edited elsewhere.");
  await s.service.saveEpisodeProfile({ ...base, default_briefing: "Edited here." });
  expect(await briefingOf()).toBe("Edited here.");
});

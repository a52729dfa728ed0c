// Stopping an episode part-way keeps what was done: the outline and transcript checkpoints on the
// episode and every clip already spoken in the speech cache. The next run starts from there.
import { describe, expect, it } from "vitest";
import { createEpisodeRunner } from "../../src/maker/run-episode.js";
import { CLI_UNFINISHED, EpisodeStore } from "../../src/podcasts/episode-store.js";
import { prepareEpisode } from "../../src/podcasts/prepare-episode.js";
import { createProviders, createVoiceCheck } from "../../src/providers/index.js";
import { silentLogger } from "../../src/log.js";
import { caught, useSetup, type Setup } from "./support.js";

let s: Setup;
useSetup((v) => (s = v));

const content = [
  "Bees live in colonies. A colony has one queen and thousands of workers.",
  "Workers collect nectar and pollen. They tell each other where flowers are by dancing.",
  "Honey is nectar that bees have dried and stored in wax cells.",
  "In winter the colony clusters together to stay warm.",
].join("\n\n");

describe("resume after a stop", () => {
  it("a run canceled during speech leaves checkpoints and cached clips; the next run reuses them", async () => {
    const providers = createProviders(s.config, silentLogger);
    const prepared = await prepareEpisode(s.db, s.config, createVoiceCheck(s.config, providers), {
      episode_profile: "solo_expert",
      episode_name: "Bees",
      content,
    });
    const id = String((await new EpisodeStore(s.db).create(prepared.episode)).id);
    const runner = createEpisodeRunner({ db: s.db, config: s.config, log: silentLogger, providers });

    // Cancel once two turns have been spoken.
    const ac = new AbortController();
    const stages: string[] = [];
    const first = await caught(() =>
      runner.run(id, {
        signal: ac.signal,
        log: silentLogger,
        progress: (_f, stage, message) => {
          stages.push(stage);
          if (stage === "speech" && /turn 2\//.test(message)) ac.abort();
        },
      }),
    );
    expect(first.kind).toBe("canceled");
    expect(stages).toContain("speech");
    expect(stages).not.toContain("audio");
    const [[stopped]] = await s.db
      .query<[{ checkpoints: { outline?: unknown; transcript?: unknown[] }; audio_file?: string }[]]>(
        "SELECT * FROM type::record('episode', $id)",
        { id },
      )
      .collect();
    // No job ran this (the CLI's path): the episode says so rather than claiming a job status.
    expect(await s.service.getEpisode(id)).toMatchObject({ status: "failed", error: CLI_UNFINISHED, job_id: null });
    expect(stopped!.checkpoints.outline).toBeDefined();
    const turns = stopped!.checkpoints.transcript!;
    expect(turns.length).toBeGreaterThan(2);
    expect(stopped!.audio_file).toBeUndefined();

    // Mark the checkpointed transcript: if the next run used it, the marker is what gets spoken.
    const marked = "This sentence comes from the checkpoint.";
    await s.db
      .query("UPDATE type::record('episode', $id) SET checkpoints.transcript[$last].text = $marked", {
        id,
        last: turns.length - 1,
        marked,
      })
      .collect();
    (turns[turns.length - 1] as { text: string }).text = marked;

    const result = await runner.run(id, {
      signal: new AbortController().signal,
      log: silentLogger,
      progress: () => {},
    });
    expect(result.duration).toBeGreaterThan(1);
    const [[done]] = await s.db
      .query<[{ stats: { turns: number; synthesized: number; cached: number }; transcript: { text: string }[] }[]]>(
        "SELECT * FROM type::record('episode', $id)",
        { id },
      )
      .collect();
    expect((await s.service.getEpisode(id)).status).toBe("completed");
    expect(done!.stats.turns).toBe(turns.length);
    expect(done!.stats.cached).toBeGreaterThanOrEqual(2);
    expect(done!.transcript.at(-1)!.text).toBe(marked);
    expect(done!.stats.synthesized).toBe(turns.length - done!.stats.cached);
    expect(done!.transcript.map((t) => t.text)).toEqual(turns.map((t) => (t as { text: string }).text));
  });
});

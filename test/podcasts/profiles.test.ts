import { describe, expect, it } from "vitest";
import { seedProfiles, SEED_EPISODE_PROFILES, SEED_SPEAKER_PROFILES } from "../../src/podcasts/seed.js";
import { voicesForRun } from "../../src/providers/voice-map.js";
import { loadConfig } from "../../src/config.js";
import { caught, count, useSetup, type Setup } from "./support.js";

let s: Setup;
useSetup((v) => (s = v));

const speaker = (name: string, voice_id: string) => ({ name, voice_id, backstory: "b", personality: "p" });

describe("seed", () => {
  it("creates the six default profiles once and never overwrites an edited one", async () => {
    const listed = await s.service.listProfiles();
    expect(listed.episode_profiles.map((p) => p.name)).toEqual(["business_analysis", "solo_expert", "tech_discussion"]);
    expect(listed.speaker_profiles.map((p) => p.name)).toEqual(["business_panel", "solo_expert", "tech_experts"]);
    expect((await s.service.getSpeakerProfile("business_panel")).speakers).toHaveLength(3);
    expect((await s.service.getSpeakerProfile("solo_expert")).speakers).toHaveLength(1);

    await s.service.saveEpisodeProfile({
      ...SEED_EPISODE_PROFILES[0]!,
      num_segments: 7,
      description: "edited by the user",
    });
    expect(await seedProfiles(s.db)).toBe(0);
    const after = await s.service.getEpisodeProfile("tech_discussion");
    expect(after.num_segments).toBe(7);
    expect(after.description).toBe("edited by the user");
    expect(await count(s.db, "episode_profile")).toBe(SEED_EPISODE_PROFILES.length);
    expect(await count(s.db, "speaker_profile")).toBe(SEED_SPEAKER_PROFILES.length);
  });

  it("maps the built-in voices to OpenAI voices only when auto resolves to OpenAI", () => {
    const p = SEED_SPEAKER_PROFILES[2]!;
    expect(voicesForRun(p, loadConfig({})).speakers.map((x) => x.voice_id)).toEqual(["rms", "slt", "awb"]);
    expect(voicesForRun(p, loadConfig({ OPENAI_API_KEY: "k" })).speakers.map((x) => x.voice_id)).toEqual([
      "onyx",
      "nova",
      "echo",
    ]);
    const pinned = { ...p, tts_provider: "builtin" as const };
    expect(voicesForRun(pinned, loadConfig({ OPENAI_API_KEY: "k" })).speakers.map((x) => x.voice_id)).toEqual([
      "rms",
      "slt",
      "awb",
    ]);
  });
});

describe("save and get", () => {
  it("saves a speaker profile (upsert by name) and an episode profile that uses it", async () => {
    const saved = await s.service.saveSpeakerProfile({
      name: "duo",
      tts_provider: "builtin",
      speakers: [speaker("Ann", "slt"), speaker("Bob", "rms")],
    });
    expect(saved.speakers.map((x) => x.name)).toEqual(["Ann", "Bob"]);
    const again = await s.service.saveSpeakerProfile({
      name: "duo",
      tts_provider: "builtin",
      speakers: [speaker("Ann", "awb")],
    });
    expect(again.speakers).toEqual([{ name: "Ann", voice_id: "awb", backstory: "b", personality: "p" }]);
    expect(again.created).toBe(saved.created);

    const ep = await s.service.saveEpisodeProfile({
      name: "duo_show",
      speaker_profile: "duo",
      num_segments: 3,
      language: "de-AT",
    });
    expect(ep).toMatchObject({
      name: "duo_show",
      speaker_profile: "duo",
      num_segments: 3,
      language: "de-AT",
      outline_provider: "auto",
    });
    expect(await s.service.getEpisodeProfile("duo_show")).toEqual(ep);
  });

  it("reports a missing profile as not_found with the names there are", async () => {
    const e = await caught(() => s.service.getEpisodeProfile("nope"));
    expect(e.kind).toBe("not_found");
    expect(e.message).toContain("tech_discussion");
  });
});

describe("bad profiles: clear errors, nothing written", () => {
  const cases: [string, unknown, string][] = [
    ["no speakers", { name: "bad1", speakers: [] }, "speakers: must have 1 to 4 speakers (got 0)"],
    [
      "five speakers",
      { name: "bad2", speakers: ["a", "b", "c", "d", "e"].map((n, i) => speaker(n, `v${i}`)) },
      "speakers: must have 1 to 4 speakers (got 5)",
    ],
    [
      "names equal ignoring case",
      { name: "bad3", speakers: [speaker("Ann", "slt"), speaker("ann", "rms")] },
      "speakers[1].name: must be unique ignoring case",
    ],
    [
      "one voice twice",
      { name: "bad4", speakers: [speaker("Ann", "slt"), speaker("Bob", "slt")] },
      'speakers[1].voice_id: must be unique ("slt"',
    ],
    [
      "unknown built-in voice",
      { name: "bad5", tts_provider: "builtin", speakers: [speaker("Ann", "slt"), speaker("Bob", "nova")] },
      "speakers[1].voice_id",
    ],
    [
      "unknown provider",
      { name: "bad6", tts_provider: "acme", speakers: [speaker("Ann", "slt")] },
      "tts_provider: must be one of auto, openai, elevenlabs, builtin",
    ],
    ["hostile name", { name: "../x", speakers: [speaker("Ann", "slt")] }, "name: must be 1-64 letters"],
  ];
  for (const [what, input, message] of cases) {
    it(`speaker profile: ${what}`, async () => {
      const before = await count(s.db, "speaker_profile");
      const e = await caught(() => s.service.saveSpeakerProfile(input));
      expect(e.kind).toBe("invalid_input");
      expect(e.message).toContain(message);
      expect(e.field).toBeTruthy();
      expect(await count(s.db, "speaker_profile")).toBe(before);
    });
  }

  it("episode profile: num_segments 2, a bad language, an unknown speaker profile", async () => {
    const before = await count(s.db, "episode_profile");
    const base = { name: "bad_ep", speaker_profile: "tech_experts", num_segments: 4 };
    const seg = await caught(() => s.service.saveEpisodeProfile({ ...base, num_segments: 2 }));
    expect(seg).toMatchObject({
      kind: "invalid_input",
      field: "num_segments",
      message: "num_segments: must be a whole number from 3 to 20 (got 2)",
    });
    const lang = await caught(() => s.service.saveEpisodeProfile({ ...base, language: "english please" }));
    expect(lang).toMatchObject({ kind: "invalid_input", field: "language" });
    const sp = await caught(() => s.service.saveEpisodeProfile({ ...base, speaker_profile: "ghosts" }));
    expect(sp.kind).toBe("not_found");
    expect(sp.message).toContain('speaker_profile: no speaker profile named "ghosts"');
    expect(await count(s.db, "episode_profile")).toBe(before);
  });
});

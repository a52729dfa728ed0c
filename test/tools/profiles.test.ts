// list_profiles, save_episode_profile, save_speaker_profile without MCP: arguments in, structured
// result out, every refusal an AppError naming the field.
import { describe, expect, it } from "vitest";
import { count } from "../podcasts/support.js";
import { useTools } from "./support.js";

const t = useTools();

type Profiles = { episode_profiles: { name: string }[]; speaker_profiles: { name: string; speakers: unknown[] }[] };

const DUO = {
  name: "duo",
  tts_provider: "builtin",
  speakers: [
    { name: "Ann", voice_id: "slt", backstory: "A sailor.\nTwenty years at sea.", personality: "calm" },
    { name: "Bo", voice_id: "rms" },
  ],
};

describe("list_profiles", () => {
  it("lists both kinds, or one kind with the other list empty", async () => {
    const all = await t.call<Profiles>("list_profiles", {});
    expect(all.episode_profiles.map((p) => p.name)).toEqual(expect.arrayContaining(["tech_discussion", "solo_expert"]));
    expect(all.speaker_profiles.map((p) => p.name)).toEqual(expect.arrayContaining(["tech_experts", "solo_expert"]));
    expect(all.speaker_profiles[0]!.speakers.length).toBeGreaterThan(0);
    const episodes = await t.call<Profiles>("list_profiles", { kind: "episode" });
    expect(episodes.episode_profiles.length).toBe(all.episode_profiles.length);
    expect(episodes.speaker_profiles).toEqual([]);
    expect((await t.call<Profiles>("list_profiles", { kind: "speaker" })).episode_profiles).toEqual([]);
  });

  it("refuses a kind it does not know and unknown arguments", async () => {
    expect(await t.refused("list_profiles", { kind: "podcast" })).toMatchObject({
      kind: "invalid_input",
      field: "kind",
    });
    const extra = await t.refused("list_profiles", { verbose: true });
    expect(extra).toMatchObject({ kind: "invalid_input", field: "arguments" });
    expect(extra.message).toContain("verbose");
  });
});

describe("save_speaker_profile", () => {
  it("creates a profile, then replaces it when saved again under the same name", async () => {
    const made = await t.call<{ name: string; speakers: { name: string; backstory: string }[] }>(
      "save_speaker_profile",
      DUO,
    );
    expect(made).toMatchObject({ name: "duo", tts_provider: "builtin", description: "" });
    expect(made.speakers.map((s) => s.name)).toEqual(["Ann", "Bo"]);
    expect(made.speakers[0]!.backstory).toBe("A sailor.\nTwenty years at sea.");
    const before = await count(t.s.db, "speaker_profile");
    const replaced = await t.call<{ speakers: { name: string }[]; description: string }>("save_speaker_profile", {
      ...DUO,
      description: "Two voices",
      speakers: [{ name: "Cy", voice_id: "awb" }],
    });
    expect(replaced.description).toBe("Two voices");
    expect(replaced.speakers.map((s) => s.name)).toEqual(["Cy"]);
    expect(await count(t.s.db, "speaker_profile")).toBe(before);
  });

  it("names the field of each broken rule", async () => {
    const none = await t.refused("save_speaker_profile", { ...DUO, name: "nobody", speakers: [] });
    expect(none).toMatchObject({
      kind: "invalid_input",
      field: "speakers",
      message: "speakers: must have 1 to 4 speakers (got 0)",
    });
    const five = Array.from({ length: 5 }, (_, i) => ({ name: `S${i}`, voice_id: `v${i}` }));
    expect((await t.refused("save_speaker_profile", { ...DUO, speakers: five })).message).toBe(
      "speakers: must have 1 to 4 speakers (got 5)",
    );
    const twice = await t.refused("save_speaker_profile", {
      ...DUO,
      speakers: [DUO.speakers[0], { name: "ann", voice_id: "rms" }],
    });
    expect(twice).toMatchObject({ kind: "invalid_input", field: "speakers[1].name" });
    const voice = await t.refused("save_speaker_profile", {
      ...DUO,
      speakers: [{ name: "Ann", voice_id: "kal_nope" }],
    });
    expect(voice).toMatchObject({ kind: "invalid_input", field: "speakers[0].voice_id" });
    expect(voice.message).toContain("kal_nope");
    expect(await t.refused("save_speaker_profile", { ...DUO, name: "two words" })).toMatchObject({ field: "name" });
    expect(await t.refused("save_speaker_profile", { ...DUO, tts_provider: "acme" })).toMatchObject({
      field: "tts_provider",
    });
  });
});

describe("save_episode_profile", () => {
  it("creates a profile with its defaults, then replaces it", async () => {
    await t.call("save_speaker_profile", DUO);
    const made = await t.call("save_episode_profile", { name: "duo_show", speaker_profile: "duo", num_segments: 3 });
    expect(made).toMatchObject({
      name: "duo_show",
      speaker_profile: "duo",
      num_segments: 3,
      language: "en",
      outline_provider: "auto",
      transcript_provider: "auto",
      description: "",
    });
    const again = await t.call("save_episode_profile", {
      name: "duo_show",
      speaker_profile: "duo",
      num_segments: 20,
      default_briefing: "Keep it light.\n\tNo jargon.",
    });
    expect(again).toMatchObject({
      name: "duo_show",
      num_segments: 20,
      default_briefing: "Keep it light.\n\tNo jargon.",
    });
  });

  it("num_segments is a whole number from 3 to 20; the speaker profile must exist", async () => {
    const base = { name: "bad_show", speaker_profile: "tech_experts" };
    for (const n of [2, 21, 4.5]) {
      const e = await t.refused("save_episode_profile", { ...base, num_segments: n });
      expect(e).toMatchObject({
        kind: "invalid_input",
        field: "num_segments",
        message: `num_segments: must be a whole number from 3 to 20 (got ${n})`,
      });
    }
    expect(await t.refused("save_episode_profile", { ...base })).toMatchObject({ field: "num_segments" });
    const ghost = await t.refused("save_episode_profile", { ...base, num_segments: 4, speaker_profile: "ghosts" });
    expect(ghost).toMatchObject({ kind: "not_found", field: "speaker_profile" });
    expect(await t.refused("save_episode_profile", { ...base, num_segments: 4, language: "english" })).toMatchObject({
      field: "language",
    });
    expect(await t.refused("save_episode_profile", { ...base, num_segments: 4, max_tokens: 100 })).toMatchObject({
      field: "max_tokens",
    });
  });
});

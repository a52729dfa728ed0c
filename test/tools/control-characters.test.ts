// Control characters in names, titles and descriptions are refused by the service itself (the
// tools and the generate CLI share its rules), with invalid_input "<field>: must not contain
// control characters". Tab and newline stay allowed in long texts. test/mcp/bad-input.test.ts
// checks the same through MCP.
import { describe, expect, it } from "vitest";
import { caught, count } from "../podcasts/support.js";
import { useTools } from "./support.js";

const t = useTools();

/** One of each kind the rule is about: C0, DEL, C1, noncharacters, a surrogate without its pair. */
const CONTROLS: [string, string][] = [
  ["U+0001", "\u0001"],
  ["U+001B", "\u001b"],
  ["U+007F", "\u007f"],
  ["U+0085", "\u0085"],
  ["U+009F", "\u009f"],
  ["U+FFFE", "\ufffe"],
  ["U+FFFF", "\uffff"],
  ["U+D800", "\ud800"],
  ["U+DC00", "\udc00"],
];

const refusedFor = (field: string) =>
  new RegExp(`^${field.replace(/[[\].]/g, "\\$&")}: must not contain control characters`);

describe("the service refuses control characters", () => {
  it("in an episode name, a script speaker, a source title; every kind of control character", async () => {
    const before = await count(t.s.db, "episode");
    for (const [code, c] of CONTROLS) {
      const e = await caught(() => t.s.service.submitEpisode({ episode_name: `Tides${c}`, content: "The sea." }));
      expect(e, code).toMatchObject({ kind: "invalid_input", field: "episode_name" });
      expect(e.message, code).toMatch(refusedFor("episode_name"));
      expect(e.message, code).toContain(`found ${code} at character 6`);
    }
    const speaker = await caught(() => t.s.service.submitEpisode({ script: [{ speaker: "Al\tex", text: "Hi." }] }));
    expect(speaker).toMatchObject({ kind: "invalid_input", field: "script[0].speaker" });
    const title = await caught(() => t.s.service.submitEpisode({ sources: [{ text: "The sea.", title: "a\nb" }] }));
    expect(title).toMatchObject({ kind: "invalid_input", field: "sources[0].title" });
    expect(title.message).toMatch(refusedFor("sources[0].title"));
    expect(await count(t.s.db, "episode")).toBe(before);
  });

  it("long texts keep tab and newline and refuse the rest", async () => {
    const ok = await t.s.service.submitEpisode({
      episode_name: "Tabs",
      content: "Line one\n\tindented\r\nline three 🌊",
    });
    expect(ok.episode_name).toBe("Tabs");
    const bad = await caught(() => t.s.service.submitEpisode({ content: "Bell\u0007 in the text" }));
    expect(bad).toMatchObject({ kind: "invalid_input", field: "content" });
    expect(bad.message).toBe(
      "content: must not contain control characters other than tab and newline (found U+0007 at character 5)",
    );
    const turn = await caught(() => t.s.service.submitEpisode({ script: [{ speaker: "Alex", text: "Hi\u001b[31m" }] }));
    expect(turn).toMatchObject({ field: "script[0].text" });
    const suffix = await caught(() => t.s.service.submitEpisode({ content: "x", briefing_suffix: "\ufffe" }));
    expect(suffix).toMatchObject({ field: "briefing_suffix" });
  });

  it("in notebook names and descriptions, source titles", async () => {
    expect(await caught(() => t.s.service.createNotebook({ name: "Sea\u0000" }))).toMatchObject({
      kind: "invalid_input",
      field: "name",
    });
    const desc = await caught(() => t.s.service.createNotebook({ name: "Sea", description: "a\u0085b" }));
    expect(desc).toMatchObject({ kind: "invalid_input", field: "description" });
    expect(desc.message).toMatch(refusedFor("description"));
    const nb = await t.s.service.createNotebook({ name: "Sea 🌊", description: "Notes\n\twith layout" });
    expect(nb).toMatchObject({ name: "Sea 🌊", description: "Notes\n\twith layout" });
    const title = await caught(() => t.s.service.addSource(nb.id, { text: "Waves.", title: "W\u001bves" }));
    expect(title).toMatchObject({ kind: "invalid_input", field: "source.title" });
    expect(title.message).toMatch(refusedFor("source.title"));
    expect((await t.s.service.getNotebook(nb.id)).sources).toEqual([]);
  });

  it("in profile descriptions, speaker names, voices and models", async () => {
    const speakers = [{ name: "Ann", voice_id: "slt" }];
    const base = { name: "ctl", tts_provider: "builtin", speakers };
    const cases: [unknown, string][] = [
      [{ ...base, description: "x\u0001" }, "description"],
      [{ ...base, tts_model: "m\nx" }, "tts_model"],
      [{ ...base, speakers: [{ name: "A\u009bnn", voice_id: "slt" }] }, "speakers[0].name"],
      [{ ...base, speakers: [{ name: "Ann", voice_id: "slt\u0000" }] }, "speakers[0].voice_id"],
      [{ ...base, speakers: [{ name: "Ann", voice_id: "slt", backstory: "\ud800" }] }, "speakers[0].backstory"],
    ];
    for (const [input, field] of cases) {
      const e = await caught(() => t.s.service.saveSpeakerProfile(input));
      expect(e, field).toMatchObject({ kind: "invalid_input", field });
      expect(e.message, field).toMatch(refusedFor(field));
    }
    const ep = await caught(() =>
      t.s.service.saveEpisodeProfile({
        name: "ctl",
        speaker_profile: "tech_experts",
        num_segments: 3,
        default_briefing: "\u0008",
      }),
    );
    expect(ep).toMatchObject({ kind: "invalid_input", field: "default_briefing" });
    const model = await caught(() =>
      t.s.service.saveEpisodeProfile({
        name: "ctl",
        speaker_profile: "tech_experts",
        num_segments: 3,
        outline_model: "gpt\t4",
      }),
    );
    expect(model).toMatchObject({ kind: "invalid_input", field: "outline_model" });
    const kept = await t.s.service.saveSpeakerProfile({ ...base, description: "Two lines\nof description" });
    expect(kept.description).toBe("Two lines\nof description");
  });
});

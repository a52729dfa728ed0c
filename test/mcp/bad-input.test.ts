// Every bad input is an isError result that names the problem ("invalid_input: <field>: <rule>"
// where the arguments break a rule); nothing is written; the server keeps answering.
import { describe, expect, it } from "vitest";
import { errorText, structured, useStdioSession } from "../helpers/mcp.js";

const session = useStdioSession();

async function counts() {
  const eps = structured<{ episodes: unknown[] }>(
    await session.s.client.callTool({ name: "list_episodes", arguments: {} }),
  );
  const nbs = structured<{ notebooks: unknown[] }>(
    await session.s.client.callTool({ name: "list_notebooks", arguments: {} }),
  );
  const prof = structured<{ episode_profiles: unknown[]; speaker_profiles: unknown[] }>(
    await session.s.client.callTool({ name: "list_profiles", arguments: {} }),
  );
  return {
    episodes: eps.episodes.length,
    notebooks: nbs.notebooks.length,
    ep: prof.episode_profiles.length,
    sp: prof.speaker_profiles.length,
  };
}

const gen = (args: Record<string, unknown>) => ({ episode_profile: "tech_discussion", episode_name: "x", ...args });
const HOSTILE = [
  "../../etc/passwd",
  "command:x; DELETE command",
  "episode:⟨x⟩",
  "episode:a/../../b",
  "notebook:1 OR 1=1",
  "",
  " ",
];

const CASES: [string, string, Record<string, unknown>, RegExp][] = [
  [
    "empty episode_name",
    "generate_podcast",
    { episode_profile: "tech_discussion", episode_name: " ", content: "hello world" },
    /^invalid_input: episode_name: must not be empty$/,
  ],
  ["wrong type", "generate_podcast", gen({ content: 42 }), /^invalid_input: content: /],
  ["no content at all", "generate_podcast", gen({}), /exactly one of content, notebook_id, sources or script/],
  [
    "two kinds of content",
    "generate_podcast",
    gen({ content: "a b c", script: [{ speaker: "Alex", text: "hi" }] }),
    /exactly one/,
  ],
  [
    "unknown profile",
    "generate_podcast",
    gen({ episode_profile: "no_such_profile", content: "Some text here." }),
    /no_such_profile/,
  ],
  [
    "unknown speaker profile",
    "generate_podcast",
    gen({ speaker_profile: "ghosts", content: "Some text here." }),
    /ghosts/,
  ],
  [
    "unknown notebook",
    "generate_podcast",
    gen({ notebook_id: "notebook:doesnotexist" }),
    /notebook.*not found|not found.*notebook/i,
  ],
  [
    "oversized content",
    "generate_podcast",
    gen({ content: "word ".repeat(50_000) }),
    /content: must be at most 200000 characters \(got \d+\)/,
  ],
  ["empty content", "generate_podcast", gen({ content: "" }), /content/],
  [
    "script with unknown speaker",
    "generate_podcast",
    gen({ script: [{ speaker: "Mallory", text: "hello" }] }),
    /Mallory/,
  ],
  ["bad language", "generate_podcast", gen({ content: "Some text.", language: "english please" }), /language/],
  ["unknown job", "get_job_status", { job_id: "command:doesnotexist" }, /not found/],
  [
    "wait too long",
    "get_job_status",
    { job_id: "command:abc", wait_seconds: 500 },
    /^invalid_input: wait_seconds: must be at most 50$/,
  ],
  ["cancel unknown job", "cancel_job", { job_id: "command:nope" }, /not found/],
  ["retry unknown episode", "retry_episode", { episode_id: "episode:nope" }, /not found/],
  ["delete unknown episode", "delete_episode", { episode_id: "episode:nope" }, /not found/],
  [
    "source to unknown notebook",
    "add_source",
    { notebook_id: "notebook:nope", source: { text: "hi there" } },
    /not found/,
  ],
  [
    "source with ftp url",
    "add_source",
    { notebook_id: "notebook:nope", source: { url: "ftp://example.com/x" } },
    /^invalid_input: source\.url: must be an http\(s\) URL$/,
  ],
  [
    "source of two kinds",
    "add_source",
    { notebook_id: "notebook:nope", source: { text: "a", url: "https://example.com" } },
    /^invalid_input: source\.url: give exactly one of text, file or url \(got text, url\)$/,
  ],
  [
    "speaker profile with 0 speakers",
    "save_speaker_profile",
    { name: "empty", description: "", tts_provider: "builtin", tts_model: "flite", speakers: [] },
    /^invalid_input: speakers: must have 1 to 4 speakers \(got 0\)$/,
  ],
  [
    "speaker profile with 5 speakers",
    "save_speaker_profile",
    {
      name: "crowd",
      description: "",
      tts_provider: "builtin",
      tts_model: "flite",
      speakers: ["a", "b", "c", "d", "e"].map((n, i) => ({
        name: n,
        voice_id: ["slt", "rms", "awb", "kal", "x"][i],
        backstory: "",
        personality: "",
      })),
    },
    /^invalid_input: speakers: must have 1 to 4 speakers \(got 5\)$/,
  ],
  [
    "speaker profile with duplicate names",
    "save_speaker_profile",
    {
      name: "dupes",
      description: "",
      tts_provider: "builtin",
      tts_model: "flite",
      speakers: [
        { name: "Sam", voice_id: "slt", backstory: "", personality: "" },
        { name: "sam", voice_id: "rms", backstory: "", personality: "" },
      ],
    },
    /^invalid_input: speakers\[1\]\.name: must be unique ignoring case/,
  ],
  [
    "speaker profile with an unknown voice",
    "save_speaker_profile",
    {
      name: "ghost",
      description: "",
      tts_provider: "builtin",
      tts_model: "flite",
      speakers: [{ name: "Sam", voice_id: "no_such_voice", backstory: "", personality: "" }],
    },
    /no_such_voice/,
  ],
  [
    "num_segments not whole",
    "save_episode_profile",
    { name: "halves", speaker_profile: "tech_experts", num_segments: 4.5 },
    /^invalid_input: num_segments: must be a whole number from 3 to 20 \(got 4\.5\)$/,
  ],
];

// Control characters (issue 8 §9): refused in names, titles and descriptions, each kind of them.
const CONTROL = /must not contain control characters/;
const CONTROL_CASES: [string, string, Record<string, unknown>, RegExp][] = [
  [
    "C0 in an episode name",
    "generate_podcast",
    gen({ episode_name: "Tides\u0001", content: "The sea." }),
    /^invalid_input: episode_name: must not contain control characters \(found U\+0001 at character 6\)$/,
  ],
  [
    "ESC in a notebook name",
    "create_notebook",
    { name: "Sea\u001b[31m" },
    /^invalid_input: name: must not contain control characters \(found U\+001B/,
  ],
  [
    "C1 in a notebook description",
    "create_notebook",
    { name: "Sea", description: "a\u0085b" },
    /^invalid_input: description: must not contain control characters other than tab and newline/,
  ],
  [
    "U+FFFE in a source title",
    "add_source",
    { notebook_id: "notebook:nope", source: { text: "Waves.", title: "W\ufffe" } },
    /^invalid_input: source\.title: /,
  ],
  [
    "a newline in a source title",
    "generate_podcast",
    gen({ sources: [{ text: "Waves.", title: "a\nb" }] }),
    /^invalid_input: sources\[0\]\.title: /,
  ],
  [
    "a lone surrogate in a profile description",
    "save_speaker_profile",
    { name: "lone", tts_provider: "builtin", description: "x\ud800", speakers: [{ name: "Ann", voice_id: "slt" }] },
    /^invalid_input: description: /,
  ],
  [
    "BEL in a briefing",
    "save_episode_profile",
    { name: "bell", speaker_profile: "tech_experts", num_segments: 3, default_briefing: "\u0007" },
    /^invalid_input: default_briefing: /,
  ],
  [
    "U+FFFF in a speaker name",
    "save_speaker_profile",
    { name: "ffff", tts_provider: "builtin", speakers: [{ name: "A\uffff", voice_id: "slt" }] },
    /^invalid_input: speakers\[0\]\.name: /,
  ],
];

describe("bad input", () => {
  it("answers every case with a specific isError result and writes nothing", async () => {
    const before = await counts();
    for (const [label, tool, args, expected] of CASES) {
      const res = await session.s.client.callTool({ name: tool, arguments: args });
      const text = errorText(res);
      expect(text, label).toMatch(expected);
    }
    expect(await counts()).toEqual(before);
  });

  it("refuses control characters in names, titles and descriptions, and writes nothing", async () => {
    const before = await counts();
    for (const [label, tool, args, expected] of CONTROL_CASES) {
      const text = errorText(await session.s.client.callTool({ name: tool, arguments: args }));
      expect(text, label).toMatch(CONTROL);
      expect(text, label).toMatch(expected);
    }
    // Long texts keep their layout: tab and newline are fine in a notebook's description.
    const layout = { name: "Layout", description: "one\n\ttwo" };
    const made = await session.s.client.callTool({ name: "create_notebook", arguments: layout });
    const nb = structured<{ description: string }>(made);
    expect(nb.description).toBe("one\n\ttwo");
    expect((await counts()).notebooks).toBe(before.notebooks + 1);
    expect({ ...(await counts()), notebooks: before.notebooks }).toEqual(before);
  });

  it("rejects hostile ids in every id field", async () => {
    const before = await counts();
    for (const id of HOSTILE) {
      for (const [tool, field] of [
        ["get_job_status", "job_id"],
        ["cancel_job", "job_id"],
        ["retry_episode", "episode_id"],
        ["delete_episode", "episode_id"],
        ["get_episode", "episode_id"],
      ] as const) {
        const text = errorText(await session.s.client.callTool({ name: tool, arguments: { [field]: id } }));
        expect(text, `${tool} ${JSON.stringify(id)}`).toMatch(new RegExp(field));
      }
      const nb = errorText(
        await session.s.client.callTool({ name: "generate_podcast", arguments: gen({ notebook_id: id }) }),
      );
      expect(nb).toMatch(/notebook_id/);
      await expect(
        session.s.client.readResource({ uri: `podcast://episodes/${encodeURIComponent(id)}` }),
      ).rejects.toThrow();
    }
    expect(await counts()).toEqual(before);
  });

  it("a file source outside what is allowed names the rule", async () => {
    const text = errorText(
      await session.s.client.callTool({
        name: "generate_podcast",
        arguments: gen({ sources: [{ file: "/definitely/not/here.txt" }] }),
      }),
    );
    expect(text).toMatch(/file/);
  });

  it("keeps answering after all of that", async () => {
    const profiles = structured<{ episode_profiles: unknown[] }>(
      await session.s.client.callTool({ name: "list_profiles", arguments: {} }),
    );
    expect(profiles.episode_profiles.length).toBeGreaterThanOrEqual(3);
  });
});

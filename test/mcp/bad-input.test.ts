// Every bad input is an isError result that names the problem; nothing is written; the server
// keeps answering.
import { describe, expect, it } from "vitest";
import { errorText, structured, useStdioSession } from "../helpers/mcp.js";

const session = useStdioSession();

async function counts() {
  const eps = structured<{ episodes: unknown[] }>(await session.s.client.callTool({ name: "list_episodes", arguments: {} }));
  const nbs = structured<{ notebooks: unknown[] }>(await session.s.client.callTool({ name: "list_notebooks", arguments: {} }));
  const prof = structured<{ episode_profiles: unknown[]; speaker_profiles: unknown[] }>(await session.s.client.callTool({ name: "list_profiles", arguments: {} }));
  return { episodes: eps.episodes.length, notebooks: nbs.notebooks.length, ep: prof.episode_profiles.length, sp: prof.speaker_profiles.length };
}


const gen = (args: Record<string, unknown>) => ({ episode_profile: "tech_discussion", episode_name: "x", ...args });
const HOSTILE = ["../../etc/passwd", "command:x; DELETE command", "episode:⟨x⟩", "episode:a/../../b", "notebook:1 OR 1=1", "", " "];

const CASES: [string, string, Record<string, unknown>, RegExp][] = [
  ["empty episode_name", "generate_podcast", { episode_profile: "tech_discussion", episode_name: " ", content: "hello world" }, /episode_name/],
  ["wrong type", "generate_podcast", gen({ content: 42 }), /content/],
  ["no content at all", "generate_podcast", gen({}), /exactly one of content, notebook_id, sources or script/],
  ["two kinds of content", "generate_podcast", gen({ content: "a b c", script: [{ speaker: "Alex", text: "hi" }] }), /exactly one/],
  ["unknown profile", "generate_podcast", gen({ episode_profile: "no_such_profile", content: "Some text here." }), /no_such_profile/],
  ["unknown speaker profile", "generate_podcast", gen({ speaker_profile: "ghosts", content: "Some text here." }), /ghosts/],
  ["unknown notebook", "generate_podcast", gen({ notebook_id: "notebook:doesnotexist" }), /notebook.*not found|not found.*notebook/i],
  ["oversized content", "generate_podcast", gen({ content: "word ".repeat(50_000) }), /content: must be at most 200000 characters \(got \d+\)/],
  ["empty content", "generate_podcast", gen({ content: "" }), /content/],
  ["script with unknown speaker", "generate_podcast", gen({ script: [{ speaker: "Mallory", text: "hello" }] }), /Mallory/],
  ["bad language", "generate_podcast", gen({ content: "Some text.", language: "english please" }), /language/],
  ["unknown job", "get_job_status", { job_id: "command:doesnotexist" }, /not found/],
  ["wait too long", "get_job_status", { job_id: "command:abc", wait_seconds: 500 }, /wait_seconds/],
  ["cancel unknown job", "cancel_job", { job_id: "command:nope" }, /not found/],
  ["retry unknown episode", "retry_episode", { episode_id: "episode:nope" }, /not found/],
  ["delete unknown episode", "delete_episode", { episode_id: "episode:nope" }, /not found/],
  ["source to unknown notebook", "add_source", { notebook_id: "notebook:nope", source: { text: "hi there" } }, /not found/],
  ["source with ftp url", "add_source", { notebook_id: "notebook:nope", source: { url: "ftp://example.com/x" } }, /url/],
  ["speaker profile with 0 speakers", "save_speaker_profile", { name: "empty", description: "", tts_provider: "builtin", tts_model: "flite", speakers: [] }, /speakers/],
  [
    "speaker profile with 5 speakers",
    "save_speaker_profile",
    { name: "crowd", description: "", tts_provider: "builtin", tts_model: "flite", speakers: ["a", "b", "c", "d", "e"].map((n, i) => ({ name: n, voice_id: ["slt", "rms", "awb", "kal", "x"][i], backstory: "", personality: "" })) },
    /speakers/,
  ],
  [
    "speaker profile with duplicate names",
    "save_speaker_profile",
    { name: "dupes", description: "", tts_provider: "builtin", tts_model: "flite", speakers: [{ name: "Sam", voice_id: "slt", backstory: "", personality: "" }, { name: "sam", voice_id: "rms", backstory: "", personality: "" }] },
    /name/i,
  ],
  [
    "speaker profile with an unknown voice",
    "save_speaker_profile",
    { name: "ghost", description: "", tts_provider: "builtin", tts_model: "flite", speakers: [{ name: "Sam", voice_id: "no_such_voice", backstory: "", personality: "" }] },
    /no_such_voice/,
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

  it("rejects hostile ids in every id field", async () => {
    const before = await counts();
    for (const id of HOSTILE) {
      for (const [tool, field] of [["get_job_status", "job_id"], ["cancel_job", "job_id"], ["retry_episode", "episode_id"], ["delete_episode", "episode_id"], ["get_episode", "episode_id"]] as const) {
        const text = errorText(await session.s.client.callTool({ name: tool, arguments: { [field]: id } }));
        expect(text, `${tool} ${JSON.stringify(id)}`).toMatch(new RegExp(field));
      }
      const nb = errorText(await session.s.client.callTool({ name: "generate_podcast", arguments: gen({ notebook_id: id }) }));
      expect(nb).toMatch(/notebook_id/);
      await expect(session.s.client.readResource({ uri: `podcast://episodes/${encodeURIComponent(id)}` })).rejects.toThrow();
    }
    expect(await counts()).toEqual(before);
  });

  it("a file source outside what is allowed names the rule", async () => {
    const text = errorText(await session.s.client.callTool({ name: "generate_podcast", arguments: gen({ sources: [{ file: "/definitely/not/here.txt" }] }) }));
    expect(text).toMatch(/file/);
  });

  it("keeps answering after all of that", async () => {
    const profiles = structured<{ episode_profiles: unknown[] }>(await session.s.client.callTool({ name: "list_profiles", arguments: {} }));
    expect(profiles.episode_profiles.length).toBeGreaterThanOrEqual(3);
  });
});

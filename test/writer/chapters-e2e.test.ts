// End to end through the pipeline: a Markdown file through the extractor, the built-in writer, a
// voice that speaks tones (support.ts; chapters do not depend on what the voice sounds like, and
// Flite took 24 s for the 8-chapter episode on the shared machine) and the real assembly. The
// chapters of the finished episode (its transcript.json, its ID3 CHAP frames, the pipeline's result
// that the episode record stores) are the source's headings one for one; one sentence is one chapter.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { silentLogger } from "../../src/log.js";
import { readChapters } from "../../src/pipeline/audio/id3.js";
import { extractText } from "../../src/sources/index.js";
import { runPipeline, type PipelineDeps, type PipelineResult } from "../../src/pipeline/run.js";
import type { SpeakerProfile } from "../../src/core/model.js";
import { createWriter } from "../../src/providers/writer/registry.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { context, EPISODE, MemoryCheckpoints, MemorySpeechCache, ToneEngine } from "../pipeline/support.js";

afterAll(stopAll);

const HEADINGS = ["Why", "Twice a day", "Springs", "Tables", "Streams", "Twelfths", "Danger", "Life"];
const GUIDE = `# Tides

${[
  "The Moon pulls the sea.",
  "Most coasts get two tides.",
  "Spring tides rise highest:\n\n- at new moon\n- at full moon",
  "| Time | Height |\n|---|---|\n| 06:12 | 4 m |",
  "Water flows along the coast.",
  "Sailors count in twelfths.",
  "> The tide outruns walkers.\n> — Coastguard",
  "Crabs live in rock pools.",
]
  .map((body, i) => `## ${HEADINGS[i]}\n\n${body}`)
  .join("\n\n")}
`;

const PROFILE: SpeakerProfile = {
  name: "builtin_duo",
  description: "",
  tts_provider: "builtin",
  tts_model: "flite",
  speakers: [
    { name: "Ada", voice_id: "slt", backstory: "host", personality: "warm" },
    { name: "Ben", voice_id: "rms", backstory: "guest", personality: "dry" },
  ],
};

function deps(outDir: string): PipelineDeps {
  const engine = new ToneEngine("builtin", 1, ["slt", "rms"]);
  const config = loadConfig({});
  return {
    writer: (provider, model) => createWriter(provider, model, config, silentLogger),
    tts: () => engine,
    resolveTts: () => "builtin",
    speechCache: new MemorySpeechCache(),
    outDir,
  };
}

/** A Markdown file → episode, the way `generate notes.md` makes one. */
async function episode(markdown: string, episodeName: string): Promise<PipelineResult> {
  const dir = tmpDataDir("podcast-mcp-chapters-");
  const file = path.join(dir, "notes.md");
  writeFileSync(file, markdown);
  const source = await extractText({ kind: "file", path: file });
  // num_segments 3: the source's own structure must win over it.
  const episodeProfile = { ...EPISODE, num_segments: 3 };
  return runPipeline(
    { episodeName, briefing: "", content: source.text, episodeProfile, speakerProfile: PROFILE, language: "en" },
    context(new MemoryCheckpoints()),
    deps(path.join(dir, "episodes", "e1")),
  );
}

interface TranscriptJson {
  duration_seconds: number;
  chapters: { title: string; start: number; end: number }[];
  turns: { segment: number; text: string }[];
}

describe("chapters of a finished episode", () => {
  it("are the 8 headings of an 8-heading source, one for one, in transcript.json, the MP3 and the result", async () => {
    const r = await episode(GUIDE, "Tide Notes");
    const json = JSON.parse(readFileSync(r.files.json, "utf8")) as TranscriptJson;
    expect(json.chapters.map((c) => c.title)).toEqual(HEADINGS);
    expect(readChapters(readFileSync(r.files.mp3)).map((c) => c.title)).toEqual(HEADINGS);
    expect(r.chapters.map((c) => c.title)).toEqual(HEADINGS);
    expect(r.outline.segments.map((s) => s.name)).toEqual(HEADINGS);
    // Every chapter holds the turns of its segment, and nothing the host announces is left without one.
    expect([...new Set(json.turns.map((t) => t.segment))]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const md = readFileSync(r.files.md, "utf8");
    for (const h of HEADINGS) expect(md).toMatch(new RegExp(`^## ${h} \\[`, "m"));
    expect(json.turns.map((t) => t.text).join(" ")).toContain("Spring tides rise highest: at new moon. At full moon.");
  });

  it("is one chapter, named after the episode, with no recap, for 'Cats sleep a lot.'", async () => {
    const r = await episode("Cats sleep a lot.", "Cat Facts");
    const json = JSON.parse(readFileSync(r.files.json, "utf8")) as TranscriptJson;
    expect(json.chapters).toEqual([{ title: "Cat Facts", start: 0, end: json.duration_seconds }]);
    expect(readChapters(readFileSync(r.files.mp3)).map((c) => c.title)).toEqual(["Cat Facts"]);
    expect(json.turns.every((t) => t.segment === 0)).toBe(true);
    const said = json.turns.map((t) => t.text).join(" ");
    expect(said).toContain("Cats sleep a lot.");
    expect(said).not.toMatch(/recap|Cats Sleep Lot/i);
  });
});

// The whole pipeline with the real offline parts: a Markdown file through extractText, the
// built-in writer, the built-in (Flite) voices and the real audio assembly. Small on purpose:
// every turn is a real synthesis on a shared 2-core machine.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { MPEGDecoder } from "mpg123-decoder";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { silentLogger } from "../../src/log.js";
import { extractText } from "../../src/sources/index.js";
import { integratedLoudness } from "../../src/pipeline/audio/loudness.js";
import { checkVoices, overallProgress, runPipeline, type PipelineDeps } from "../../src/pipeline/run.js";
import { BuiltinTtsEngine } from "../../src/providers/tts/builtin.js";
import type { SpeakerProfile } from "../../src/core/model.js";
import { createWriter } from "../../src/providers/writer/registry.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { context, EPISODE, failureOf, MemoryCheckpoints, MemorySpeechCache } from "./support.js";

afterAll(stopAll);

const NOTES = `# Lighthouses

## The light

A lighthouse marks a dangerous coast. Its light turns so that ships see a flash.

## The keepers

Keepers trimmed the wicks every night. Today most lights run on their own.
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

function builtinDeps(outDir: string, cache: MemorySpeechCache): PipelineDeps {
  const config = loadConfig({});
  const engine = new BuiltinTtsEngine(silentLogger);
  return {
    writer: (provider, model) => createWriter(provider, model, config, silentLogger),
    tts: () => engine,
    resolveTts: () => "builtin",
    speechCache: cache,
    outDir,
  };
}

describe("runPipeline with the built-in writer and voices", () => {
  it("turns a Markdown file into an MP3 with one chapter per segment, then a re-run re-speaks nothing", async () => {
    const dir = tmpDataDir("podcast-mcp-run-builtin-");
    const file = path.join(dir, "notes.md");
    writeFileSync(file, NOTES);
    const source = await extractText({ kind: "file", path: file });
    const cache = new MemorySpeechCache();
    const checkpoints = new MemoryCheckpoints();
    const ctx = context(checkpoints);
    const outDir = path.join(dir, "episodes", "e1");
    const r = await runPipeline(
      {
        episodeName: "Lighthouse Notes",
        briefing: "Explain lighthouses.",
        content: source.text,
        episodeProfile: { ...EPISODE, num_segments: 3 },
        speakerProfile: PROFILE,
        language: "en",
      },
      ctx,
      builtinDeps(outDir, cache),
    );
    // The built-in writer's chapters are the source's headings with text under them (2 here).
    expect(r.outline.segments.length).toBe(2);
    expect(r.chapters.length).toBe(2);
    expect(r.chapters.map((c) => c.title)).toEqual(r.outline.segments.map((s) => s.name));
    expect(new Set(r.transcript.map((t) => t.speaker))).toEqual(new Set(["Ada", "Ben"]));
    // The episode says what the source says.
    const said = r.transcript.map((t) => t.text).join(" ");
    expect(said).toContain("Keepers trimmed the wicks every night.");
    expect(r.stats.synthesized).toBe(cache.clips.size);
    // Real speech: Flite speaks ~2.5–4 words a second; the episode is at least as long as its words allow.
    const words = said.split(/\s+/).length;
    expect(r.durationSeconds).toBeGreaterThan(words / 5);
    expect(r.durationSeconds).toBeLessThan(words / 1.2 + 10);
    expect(r.loudness.integrated).toBeGreaterThan(-16.5);
    expect(r.loudness.integrated).toBeLessThan(-15.5);
    expect(r.loudness.truePeak).toBeLessThanOrEqual(-1 + 0.05);
    // The file on disk is what the result says: decode it and measure.
    const decoder = new MPEGDecoder();
    await decoder.ready;
    const decoded = decoder.decode(new Uint8Array(readFileSync(r.files.mp3)));
    decoder.free();
    expect(decoded.errors).toEqual([]);
    expect(Math.abs(decoded.samplesDecoded / decoded.sampleRate - r.durationSeconds)).toBeLessThan(0.1);
    expect(integratedLoudness({ samples: decoded.channelData[0]!, sampleRate: decoded.sampleRate })).toBeCloseTo(
      -16,
      0,
    );
    const md = readFileSync(r.files.md, "utf8");
    expect(md).toContain("Lighthouse Notes");
    expect(md).toContain("Ada");
    const overall = ctx.events.map((e) => overallProgress(e.stage, e.fraction));
    expect(overall.every((v, i) => i === 0 || v >= overall[i - 1]!)).toBe(true);

    // Same episode again (a retry after the audio stage failed, say): everything comes from checkpoints and cache.
    const again = await runPipeline(
      {
        episodeName: "Lighthouse Notes",
        briefing: "Explain lighthouses.",
        content: source.text,
        episodeProfile: EPISODE,
        speakerProfile: PROFILE,
        language: "en",
      },
      context(checkpoints),
      builtinDeps(outDir, cache),
    );
    expect(again.stats.synthesized).toBe(0);
    expect(again.stats.cached).toBe(r.stats.turns);
    expect(again.durationSeconds).toBeCloseTo(r.durationSeconds, 3);
  });

  it("checkVoices refuses a voice the built-in engine does not have", async () => {
    const deps = builtinDeps(tmpDataDir(), new MemorySpeechCache());
    await checkVoices(PROFILE, deps);
    const err = await failureOf(
      checkVoices(
        { ...PROFILE, speakers: [PROFILE.speakers[0]!, { ...PROFILE.speakers[1]!, voice_id: "onyx" }] },
        deps,
      ),
    );
    expect(err.kind).toBe("invalid_input");
    expect(err.field).toBe("speakers[1].voice_id");
    expect(err.message).toMatch(/^speakers\[1\]\.voice_id: Ben: .*onyx/);
  });
});

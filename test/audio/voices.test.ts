// Voices at one level, heard as a listener hears them: an episode made offline through the whole
// pipeline (a ready script, the built-in Flite voices slt, rms and awb, which come out of Flite
// about 5 LU apart), then the finished MP3 decoded and metered per speaker on each turn's span, at
// the timings the transcript publishes.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { silentLogger } from "../../src/log.js";
import { integratedLoudness, truePeak } from "../../src/pipeline/audio/loudness.js";
import { runPipeline, type PipelineDeps } from "../../src/pipeline/run.js";
import { BuiltinTtsEngine } from "../../src/providers/tts/builtin.js";
import type { SpeakerProfile } from "../../src/core/model.js";
import { createWriter } from "../../src/providers/writer/registry.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { context, EPISODE, MemoryCheckpoints, MemorySpeechCache } from "../pipeline/support.js";
import { decodeMp3, speakerLoudness } from "./decode.js";
import { readMp3Info } from "./mp3-info.js";

afterAll(stopAll);

const TRIO: SpeakerProfile = {
  name: "builtin_trio",
  description: "",
  tts_provider: "builtin",
  tts_model: "flite",
  speakers: [
    { name: "Ana", voice_id: "slt", backstory: "host", personality: "warm" },
    { name: "Ben", voice_id: "rms", backstory: "guest", personality: "dry" },
    { name: "Cal", voice_id: "awb", backstory: "guest", personality: "keen" },
  ],
};

// Short turns ("Right.", "Exactly.") among long ones: too short for a gating block of their own.
const SCRIPT = [
  {
    speaker: "Ana",
    segment: 0,
    text: "Welcome back to Sea Notes. Today we talk about tides and why sailors care about them.",
  },
  { speaker: "Ben", segment: 0, text: "Right." },
  { speaker: "Cal", segment: 0, text: "Thanks for having me. Tides are older than any harbour on this coast." },
  { speaker: "Ana", segment: 1, text: "So why are there two high tides every day, and not one?" },
  {
    speaker: "Ben",
    segment: 1,
    text: "Because the moon pulls the near side of the ocean, and the far side lags behind, so the water bulges twice.",
  },
  { speaker: "Cal", segment: 1, text: "Exactly." },
  { speaker: "Ana", segment: 1, text: "And the sun joins in twice a month, which gives us the spring tides." },
  { speaker: "Ben", segment: 1, text: "Neap tides come in between, when the sun and the moon pull at right angles." },
  { speaker: "Cal", segment: 1, text: "Harbour masters print tables for all of it, a whole year ahead." },
];

function deps(outDir: string): PipelineDeps {
  const engine = new BuiltinTtsEngine(silentLogger);
  return {
    writer: (provider, model) => createWriter(provider, model, loadConfig({}), silentLogger),
    tts: () => engine,
    resolveTts: () => "builtin",
    speechCache: new MemorySpeechCache(),
    outDir,
  };
}

describe("voices at one level (built-in voices, through the pipeline)", () => {
  it("decoded: every speaker within 1 LU of the others, the episode -16 ± 1 LUFS, ≤ -1 dBTP", async () => {
    const outDir = path.join(tmpDataDir("podcast-mcp-voices-"), "episode");
    const r = await runPipeline(
      {
        episodeName: "Tides",
        briefing: "",
        script: SCRIPT,
        episodeProfile: EPISODE,
        speakerProfile: TRIO,
        language: "en",
      },
      context(new MemoryCheckpoints()),
      deps(outDir),
    );
    const mp3 = readFileSync(r.files.mp3);
    const decoded = await decodeMp3(mp3);
    expect(decoded.errors).toBe(0);

    // The published timings are the file's: the transcript JSON's, as a player would use them.
    const transcript = JSON.parse(readFileSync(r.files.json, "utf8")) as {
      duration_seconds: number;
      turns: { speaker: string; start: number; end: number }[];
    };
    const turns = transcript.turns.map((t, i) => ({ ...t, text: SCRIPT[i]!.text, segment: SCRIPT[i]!.segment }));
    const levels = speakerLoudness(decoded, turns);
    expect([...levels.keys()]).toEqual(["Ana", "Ben", "Cal"]);
    const values = [...levels.values()];
    expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);

    expect(Math.abs(integratedLoudness(decoded) - -16)).toBeLessThanOrEqual(1);
    expect(truePeak(decoded)).toBeLessThanOrEqual(-1);

    // Exact duration: the Info frame's length is the decoded length and the transcript's (within 30 ms).
    const info = readMp3Info(mp3);
    expect(info.pcmSamples).toBe(decoded.samples.length);
    expect(Math.abs(info.pcmSamples / info.sampleRate - transcript.duration_seconds)).toBeLessThan(0.03);
    expect(Math.abs(info.pcmSamples / info.sampleRate - r.durationSeconds)).toBeLessThan(0.001);
  });

  it("made the same voices about 5 LU apart before levelling (what the test above undoes)", async () => {
    const engine = new BuiltinTtsEngine(silentLogger);
    const raw = new Map<string, number>();
    for (const s of TRIO.speakers) {
      const pcm = await engine.synthesize(
        { text: SCRIPT[4]!.text, voice: s.voice_id, model: "", language: "en" },
        new AbortController().signal,
      );
      raw.set(s.voice_id, integratedLoudness(pcm));
    }
    const values = [...raw.values()];
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(3);
  });
});

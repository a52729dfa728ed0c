// The audio stage fed with real speech from the built-in Flite engine (16 kHz, resampled to 24 kHz):
// what the synthetic signals stand in for everywhere else.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.js";
import { assembleEpisode } from "../../src/pipeline/audio/assemble.js";
import { heldClip, type ClipSource } from "../../src/pipeline/audio/clip-source.js";
import { readChapters } from "../../src/pipeline/audio/id3.js";
import { integratedLoudness, truePeak } from "../../src/pipeline/audio/loudness.js";
import { BuiltinTtsEngine } from "../../src/providers/tts/builtin.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { decodeMp3 } from "./decode.js";

afterAll(stopAll);

const lines = [
  { speaker: "Ana", voice: "slt", segment: 0, text: "Welcome back to Sea Notes. Today we talk about tides." },
  { speaker: "Ben", voice: "rms", segment: 0, text: "Thanks Ana. It is good to be here." },
  { speaker: "Ana", voice: "slt", segment: 1, text: "So why are there two high tides every day?" },
  {
    speaker: "Ben",
    voice: "rms",
    segment: 1,
    text: "Because the moon pulls the near side of the ocean, and the far side lags behind.",
  },
];

describe("assembly of real Flite speech", () => {
  it("joins, levels, normalises to -16 LUFS and encodes; timings and chapters hold after decoding", async () => {
    const tts = new BuiltinTtsEngine(silentLogger);
    const clips: ClipSource[] = [];
    const lengths: number[] = [];
    for (const l of lines) {
      const pcm = await tts.synthesize(
        { text: l.text, voice: l.voice, model: "", language: "en" },
        new AbortController().signal,
      );
      expect(pcm.sampleRate).toBe(16_000);
      lengths.push(pcm.samples.length / 16_000);
      clips.push(heldClip(pcm, { speaker: l.speaker, text: l.text, segment: l.segment }));
    }
    const outFile = path.join(tmpDataDir("podcast-mcp-real-speech-"), "audio.mp3");
    const ep = await assembleEpisode({
      clips,
      segmentNames: ["Hello", "Two tides"],
      meta: { title: "Tides", show: "Sea Notes", date: "2026-11-29" },
      outFile,
    });
    expect(Math.abs(ep.loudness.integrated - -16)).toBeLessThan(0.1);
    expect(ep.loudness.truePeak).toBeLessThanOrEqual(-1);
    // Trimmed clips are never longer than what Flite produced.
    ep.turns.forEach((t, i) => expect(t.end - t.start).toBeLessThanOrEqual(lengths[i]! + 1e-3));
    expect(ep.turns[1]!.start - ep.turns[0]!.end).toBeCloseTo(0.35, 3);
    expect(ep.turns[2]!.start - ep.turns[1]!.end).toBeCloseTo(1.0, 3);

    const mp3 = readFileSync(outFile);
    const decoded = await decodeMp3(mp3);
    expect(decoded.samples.length / decoded.sampleRate).toBeCloseTo(ep.durationSeconds, 6);
    expect(Math.abs(integratedLoudness(decoded) - -16)).toBeLessThan(1);
    expect(truePeak(decoded)).toBeLessThanOrEqual(-1);
    expect(readChapters(mp3).map((c) => c.title)).toEqual(["Hello", "Two tides"]);
  });
});

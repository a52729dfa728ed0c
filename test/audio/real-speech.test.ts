// The audio stage fed with real speech from the built-in Flite engine (16 kHz, resampled to 24 kHz):
// what the synthetic signals stand in for everywhere else.
import { MPEGDecoder } from "mpg123-decoder";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.js";
import { assembleEpisode } from "../../src/pipeline/audio/assemble.js";
import type { Clip } from "../../src/pipeline/audio/join.js";
import { readChapters } from "../../src/pipeline/audio/id3.js";
import { integratedLoudness, truePeak } from "../../src/pipeline/audio/loudness.js";
import { MP3_CODEC_DELAY_SAMPLES } from "../../src/pipeline/audio/mp3.js";
import { BuiltinTtsEngine } from "../../src/providers/tts/builtin.js";

const lines = [
  { speaker: "Ana", voice: "slt", segment: 0, text: "Welcome back to Sea Notes. Today we talk about tides." },
  { speaker: "Ben", voice: "rms", segment: 0, text: "Thanks Ana. It is good to be here." },
  { speaker: "Ana", voice: "slt", segment: 1, text: "So why are there two high tides every day?" },
  { speaker: "Ben", voice: "rms", segment: 1, text: "Because the moon pulls the near side of the ocean, and the far side lags behind." },
];

describe("assembly of real Flite speech", () => {
  it("joins, normalises to -16 LUFS / -1 dBTP and encodes; timings and chapters hold after decoding", async () => {
    const tts = new BuiltinTtsEngine(silentLogger);
    const clips: Clip[] = [];
    for (const l of lines) {
      const pcm = await tts.synthesize({ text: l.text, voice: l.voice, model: "", language: "en" }, new AbortController().signal);
      expect(pcm.sampleRate).toBe(16_000);
      clips.push({ pcm, turn: { speaker: l.speaker, text: l.text, segment: l.segment } });
    }
    const ep = await assembleEpisode({ clips, segmentNames: ["Hello", "Two tides"], meta: { title: "Tides", show: "Sea Notes", date: "2026-11-29" } });
    expect(Math.abs(ep.loudness.integrated - -16)).toBeLessThan(0.1);
    expect(ep.loudness.truePeak).toBeLessThanOrEqual(-1);
    // Trimmed clips are never longer than what Flite produced.
    ep.turns.forEach((t, i) => expect(t.end - t.start).toBeLessThanOrEqual(clips[i]!.pcm.samples.length / 16_000 + 1e-3));
    expect(ep.turns[1]!.start - ep.turns[0]!.end).toBeCloseTo(0.35, 3);
    expect(ep.turns[2]!.start - ep.turns[1]!.end).toBeCloseTo(1.0, 3);

    const decoder = new MPEGDecoder();
    await decoder.ready;
    try {
      const d = decoder.decode(new Uint8Array(ep.mp3));
      const decoded = { samples: d.channelData[0]!, sampleRate: d.sampleRate };
      const seconds = (decoded.samples.length - MP3_CODEC_DELAY_SAMPLES) / decoded.sampleRate;
      expect(Math.abs(seconds - ep.durationSeconds)).toBeLessThan(0.05);
      expect(Math.abs(integratedLoudness(decoded) - -16)).toBeLessThan(0.5);
      expect(truePeak(decoded)).toBeLessThan(-0.3);
    } finally {
      decoder.free();
    }
    expect(readChapters(ep.mp3).map((c) => c.title)).toEqual(["Hello", "Two tides"]);
  });
});

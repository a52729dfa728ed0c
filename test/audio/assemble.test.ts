// End to end through the real encoder and a real decoder: clips → assembleEpisode → MP3 bytes →
// mpg123 (WASM) → PCM, measured again; tags read back with node-id3.
import { MPEGDecoder } from "mpg123-decoder";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assembleEpisode, type AssembledEpisode } from "../../src/pipeline/audio/assemble.js";
import { readChapters, readTags } from "../../src/pipeline/audio/id3.js";
import { integratedLoudness, truePeak } from "../../src/pipeline/audio/loudness.js";
import { encodeMp3, MP3_CODEC_DELAY_SAMPLES } from "../../src/pipeline/audio/mp3.js";
import { sine, speechLike } from "../../src/pipeline/audio/test-signals.js";
import type { Pcm } from "../../src/core/model.js";

const RATE = 24_000;
let decoder: MPEGDecoder;

beforeAll(async () => {
  decoder = new MPEGDecoder();
  await decoder.ready;
});
afterAll(() => decoder.free());

async function decode(mp3: Buffer): Promise<Pcm> {
  await decoder.reset();
  const r = decoder.decode(new Uint8Array(mp3));
  expect(r.errors).toEqual([]);
  return { samples: r.channelData[0]!, sampleRate: r.sampleRate };
}

describe("encodeMp3", () => {
  it("encodes mono CBR whose decoded audio is the input, delayed by the codec delay", async () => {
    const input = sine(440, 3, RATE, 0.5);
    const mp3 = await encodeMp3(input, { bitrate: 64 });
    // CBR 64 kbps: the size follows from the duration.
    expect(mp3.length).toBeGreaterThan(3 * 8000 * 0.98);
    expect(mp3.length).toBeLessThan(3.2 * 8000);
    const out = await decode(mp3);
    expect(out.sampleRate).toBe(RATE);
    // Find the delay by cross-correlating a marker click.
    const click = new Float32Array(RATE);
    click[1000] = 0.9;
    const d = await decode(await encodeMp3({ samples: click, sampleRate: RATE }));
    let at = 0;
    for (let i = 0; i < d.samples.length; i++) if (Math.abs(d.samples[i]!) > Math.abs(d.samples[at]!)) at = i;
    expect(Math.abs(at - 1000 - MP3_CODEC_DELAY_SAMPLES)).toBeLessThanOrEqual(2);
    // Decoded tone matches the input sample by sample, once aligned (lossy: compare energy of the difference).
    let err = 0;
    let sig = 0;
    for (let i = 2000; i < input.samples.length - 2000; i++) {
      const e = out.samples[i + MP3_CODEC_DELAY_SAMPLES]! - input.samples[i]!;
      err += e * e;
      sig += input.samples[i]! ** 2;
    }
    expect(10 * Math.log10(sig / err)).toBeGreaterThan(20); // SNR in dB
  });

  it("rejects a sample rate MP3 cannot carry", async () => {
    await expect(encodeMp3({ samples: new Float32Array(100), sampleRate: 23_000 })).rejects.toThrow(/pcm.sampleRate: MP3 supports/);
  });
});

describe("assembleEpisode", () => {
  const names = ["Welcome", "The main story", "Wrap-up"];
  const plan = [
    { speaker: "Ana", segment: 0, body: 3, rate: 24_000, pad: 0.3 },
    { speaker: "Ben", segment: 0, body: 4, rate: 16_000, pad: 0.1 },
    { speaker: "Ana", segment: 1, body: 5, rate: 22_050, pad: 0.5 },
    { speaker: "Ben", segment: 1, body: 3, rate: 24_000, pad: 0 },
    { speaker: "Ana", segment: 2, body: 2, rate: 24_000, pad: 0.2 },
  ];
  let ep: AssembledEpisode;
  const progress: number[] = [];

  beforeAll(async () => {
    const clips = plan.map((p, i) => ({
      // Quiet and differently levelled clips: normalisation has real work to do.
      pcm: speechLike(p.body, p.rate, { seed: i + 10, padding: p.pad, peak: 0.05 + 0.1 * i, pitch: p.speaker === "Ana" ? 210 : 115 }),
      turn: { speaker: p.speaker, text: `Turn ${i} by ${p.speaker}.`, segment: p.segment },
    }));
    ep = await assembleEpisode({
      clips,
      segmentNames: names,
      meta: { title: "Episode 7: Tides", show: "Sea Notes", date: "2026-11-29", comment: "Made offline." },
      onProgress: (f) => progress.push(f),
    });
  });

  it("has the duration of the clips plus pauses, and so does the decoded MP3 (±50 ms)", async () => {
    const speech = ep.turns.reduce((s, t) => s + (t.end - t.start), 0);
    const pauses = 0.3 + 0.35 + 1.0 + 0.35 + 1.0 + 0.7; // lead-in, gaps, tail
    // Published timings are as heard: after the encoder's delay, which the file has no header to skip.
    const delay = MP3_CODEC_DELAY_SAMPLES / 24_000;
    expect(Math.abs(ep.durationSeconds - delay - (speech + pauses))).toBeLessThan(0.002);
    expect(ep.turns[0]!.start).toBeCloseTo(0.3 + delay, 2);
    // Each trimmed clip is its speech body (the padding is gone).
    plan.forEach((p, i) => expect(Math.abs(ep.turns[i]!.end - ep.turns[i]!.start - p.body)).toBeLessThan(0.15));
    const decoded = await decode(ep.mp3);
    const decodedSeconds = decoded.samples.length / decoded.sampleRate;
    // Past the published duration (which includes the delay) is only padding to the last full 576-sample frame (≤ 24 ms).
    expect(decodedSeconds - ep.durationSeconds).toBeGreaterThanOrEqual(0);
    expect(decodedSeconds - ep.durationSeconds).toBeLessThan(0.05);
  });

  it("is at -16 ± 0.5 LUFS and ≤ -1 dBTP, measured on the decoded MP3", async () => {
    expect(Math.abs(ep.loudness.integrated - -16)).toBeLessThan(0.1);
    expect(ep.loudness.truePeak).toBeLessThanOrEqual(-1);
    const decoded = await decode(ep.mp3);
    expect(Math.abs(integratedLoudness(decoded) - -16)).toBeLessThan(0.5);
    // MP3 coding noise can lift peaks a little; the decoded file must still not clip.
    expect(truePeak(decoded)).toBeLessThan(-0.3);
  });

  it("carries title, show, date, comment and one chapter per segment with the right times", () => {
    const tags = readTags(ep.mp3);
    expect(tags).toMatchObject({ title: "Episode 7: Tides", artist: "Sea Notes", album: "Sea Notes", year: "2026", comment: "Made offline." });
    const chapters = readChapters(ep.mp3);
    expect(chapters.map((c) => c.title)).toEqual(names);
    chapters.forEach((c, i) => {
      expect(c.start).toBeCloseTo(ep.chapters[i]!.start, 3);
      expect(c.end).toBeCloseTo(ep.chapters[i]!.end, 3);
    });
    expect(chapters[0]!.start).toBe(0);
    expect(chapters[1]!.start).toBeCloseTo(ep.turns[2]!.start - 0.25, 3); // just before "Ana" opens segment 1
    expect(chapters[2]!.start).toBeCloseTo(ep.turns[4]!.start - 0.25, 3);
    expect(chapters[2]!.end).toBeCloseTo(ep.durationSeconds, 3);
  });

  it("reports monotonic progress ending at 1", () => {
    expect(progress[0]).toBe(0);
    expect(progress[progress.length - 1]).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThan(progress[i - 1]!);
  });

  it("refuses an episode where every clip is silent", async () => {
    const silent = { samples: new Float32Array(RATE), sampleRate: RATE };
    await expect(
      assembleEpisode({ clips: [{ pcm: silent, turn: { speaker: "A", text: "x", segment: 0 } }], segmentNames: ["One"], meta: { title: "t", show: "s", date: "2026-01-01" } }),
    ).rejects.toMatchObject({ kind: "invalid_input", field: "clips" });
  });

  it("stops when canceled", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(
      assembleEpisode({
        clips: [{ pcm: speechLike(1, RATE), turn: { speaker: "A", text: "x", segment: 0 } }],
        segmentNames: ["One"],
        meta: { title: "t", show: "s", date: "2026-01-01" },
        signal: ac.signal,
      }),
    ).rejects.toMatchObject({ kind: "canceled" });
  });

  it("keeps the event loop responsive on a long episode and stops mid-way when canceled", async () => {
    // 4 minutes: done in one synchronous stretch, normalising and encoding would each block for
    // hundreds of ms. Counting timer turns per stage (not measuring gaps) keeps this load-proof.
    // At 16 kHz, the built-in voices' rate: resampling is part of the work.
    const clips = Array.from({ length: 24 }, (_, i) => ({
      pcm: speechLike(10, 16_000, { seed: 100 + i, peak: 0.3 }),
      turn: { speaker: i % 2 ? "Ben" : "Ana", text: "…", segment: Math.floor(i / 8) },
    }));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const at: Record<string, number> = {};
    const meta = { title: "Long", show: "Sea Notes", date: "2026-11-29" };
    try {
      const ep = await assembleEpisode({
        clips,
        segmentNames: ["A", "B", "C"],
        meta,
        onProgress: (f) => {
          if (f === 0) at.start = ticks;
          if (f >= 0.1 && at.joined === undefined) at.joined = ticks;
          if (f >= 0.35 && at.normalized === undefined) at.normalized = ticks;
          if (f >= 1) at.done = ticks;
        },
      });
      expect(ep.durationSeconds).toBeGreaterThan(240);
    } finally {
      clearInterval(timer);
    }
    // Timers ran while resampling, normalising and encoding, not just between stages.
    expect(at.joined! - at.start!).toBeGreaterThanOrEqual(3);
    expect(at.normalized! - at.joined!).toBeGreaterThanOrEqual(3);
    expect(at.done! - at.normalized!).toBeGreaterThanOrEqual(3);

    const ac = new AbortController();
    let lastProgress = 0;
    const run = assembleEpisode({
      clips,
      segmentNames: ["A", "B", "C"],
      meta,
      signal: ac.signal,
      onProgress: (f) => {
        lastProgress = f;
        if (f >= 0.1) ac.abort(); // after the join, during normalisation or encoding
      },
    });
    await expect(run).rejects.toMatchObject({ kind: "canceled" });
    expect(lastProgress).toBeLessThan(1);
  });
});

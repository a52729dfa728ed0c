// End to end through the real encoder and a real decoder: clip sources → assembleEpisode → MP3 file
// → mpg123 (WASM) → PCM, measured again; tags read back with node-id3, the Info frame with our parser.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assembleEpisode, type AssembledEpisode } from "../../src/pipeline/audio/assemble.js";
import { heldClip, type ClipSource } from "../../src/pipeline/audio/clip-source.js";
import { readChapters, readTags } from "../../src/pipeline/audio/id3.js";
import { integratedLoudness, truePeak } from "../../src/pipeline/audio/loudness.js";
import { speechLike } from "../../src/pipeline/audio/test-signals.js";
import type { Pcm } from "../../src/core/model.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { decodeMp3 } from "./decode.js";
import { readMp3Info } from "./mp3-info.js";
import { tinyPng } from "./png.js";

afterAll(stopAll);

const RATE = 24_000;
const meta = { title: "Episode 7: Tides", show: "Sea Notes", date: "2026-11-29" };
const outFile = () => path.join(tmpDataDir("podcast-mcp-assemble-"), "audio.mp3");

describe("assembleEpisode", () => {
  const names = ["Welcome", "The main story", "Wrap-up"];
  const plan = [
    { speaker: "Ana", segment: 0, body: 3, rate: 24_000, pad: 0.3 },
    { speaker: "Ben", segment: 0, body: 4, rate: 16_000, pad: 0.1 },
    { speaker: "Ana", segment: 1, body: 5, rate: 22_050, pad: 0.5 },
    { speaker: "Ben", segment: 1, body: 3, rate: 24_000, pad: 0 },
    { speaker: "Ana", segment: 2, body: 2, rate: 24_000, pad: 0.2 },
  ];
  const cover = tinyPng();
  let ep: AssembledEpisode;
  let file: Buffer;
  const progress: number[] = [];
  const loads: number[] = [];

  beforeAll(async () => {
    const clips: ClipSource[] = plan.map((p, i) => {
      // Quiet and differently levelled clips: levelling and normalisation have real work to do.
      const pcm = speechLike(p.body, p.rate, {
        seed: i + 10,
        padding: p.pad,
        peak: 0.05 + 0.1 * i,
        pitch: p.speaker === "Ana" ? 210 : 115,
      });
      return {
        turn: { speaker: p.speaker, text: `Turn ${i} by ${p.speaker}.`, segment: p.segment },
        load: async () => (loads.push(i), pcm),
      };
    });
    ep = await assembleEpisode({
      clips,
      segmentNames: names,
      meta: { ...meta, summary: "How the moon moves the sea.", cover },
      outFile: outFile(),
      onProgress: (f) => progress.push(f),
    });
    file = readFileSync(ep.file);
  });

  it("loads each clip once, in order, and leaves only the MP3 behind (no spool, no temporary file)", () => {
    expect(loads).toEqual([0, 1, 2, 3, 4]);
    expect(readdirSync(path.dirname(ep.file))).toEqual(["audio.mp3"]);
    expect(ep.bytes).toBe(file.length);
  });

  it("lasts the clips plus pauses; the Info frame and the decoded MP3 agree to the sample", async () => {
    const speech = ep.turns.reduce((s, t) => s + (t.end - t.start), 0);
    const pauses = 0.3 + 0.35 + 1.0 + 0.35 + 1.0 + 0.7; // lead-in, gaps, tail
    expect(Math.abs(ep.durationSeconds - (speech + pauses))).toBeLessThan(0.002);
    expect(ep.turns[0]!.start).toBeCloseTo(0.3, 4); // no shift for the encoder's delay: the file says to skip it
    // Each trimmed clip is its speech body (the padding is gone).
    plan.forEach((p, i) => expect(Math.abs(ep.turns[i]!.end - ep.turns[i]!.start - p.body)).toBeLessThan(0.15));
    const samples = Math.round(ep.durationSeconds * RATE);
    expect(readMp3Info(file).pcmSamples).toBe(samples);
    expect(ep.mp3.pcmSamples).toBe(samples);
    const decoded = await decodeMp3(file);
    expect(decoded.errors).toBe(0);
    expect(decoded.samples.length).toBe(samples);
    // Sound where the transcript says a turn is, silence in the pauses.
    const x = decoded.samples;
    const rms = (a: number, b: number) =>
      Math.sqrt(
        x.subarray(Math.round(a * RATE), Math.round(b * RATE)).reduce((s, v) => s + v * v, 0) / ((b - a) * RATE),
      );
    for (const t of ep.turns) expect(rms(t.start, t.end)).toBeGreaterThan(0.01);
    for (let i = 1; i < ep.turns.length; i++)
      expect(rms(ep.turns[i - 1]!.end + 0.05, ep.turns[i]!.start - 0.05)).toBeLessThan(0.003);
  });

  it("is at -16 LUFS and ≤ -1 dBTP, with both speakers at one level, measured on the decoded MP3", async () => {
    expect(Math.abs(ep.loudness.integrated - -16)).toBeLessThan(0.1);
    expect(ep.loudness.truePeak).toBeLessThanOrEqual(-1);
    const decoded = await decodeMp3(file);
    expect(Math.abs(integratedLoudness(decoded) - -16)).toBeLessThan(1);
    expect(truePeak(decoded)).toBeLessThanOrEqual(-1);
    const levels = ep.speakers.map((s) => s.integrated);
    expect(Math.max(...levels) - Math.min(...levels)).toBeLessThan(0.5);
  });

  it("tags title, show, date, a description (subject and chapters), the cover, and one chapter per segment", () => {
    const tags = readTags(file);
    expect(tags).toMatchObject({ title: meta.title, artist: "Sea Notes", album: "Sea Notes", year: "2026" });
    expect(tags.comment).toBe(
      ["How the moon moves the sea.", "", "Chapters:", ...ep.chapters.map((c) => `${clock(c.start)} ${c.title}`)].join(
        "\n",
      ),
    );
    expect(tags.cover).toEqual({ mime: "image/png", type: 3, image: cover });
    const chapters = readChapters(file);
    expect(chapters.map((c) => c.title)).toEqual(names);
    chapters.forEach((c, i) => {
      expect(c.start).toBeCloseTo(ep.chapters[i]!.start, 3);
      expect(c.end).toBeCloseTo(ep.chapters[i]!.end, 3);
    });
    expect(chapters[0]!.start).toBe(0);
    expect(chapters[1]!.start).toBeCloseTo(ep.turns[2]!.start - 0.25, 3); // just before "Ana" opens segment 1
    expect(chapters[2]!.end).toBeCloseTo(ep.durationSeconds, 3);
  });

  it("reports monotonic progress from 0 to 1", () => {
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThan(progress[i - 1]!);
  });
});

const clock = (s: number) =>
  `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(Math.floor(s % 60)).padStart(2, "0")}`;

describe("assembleEpisode refuses and stops cleanly", () => {
  const one = (pcm: Pcm) => [heldClip(pcm, { speaker: "A", text: "x", segment: 0 })];

  it("removes what a process that died while assembling left beside the file, not a live one's", async () => {
    const out = outFile();
    const dead = `${out}.99999999.1700000000000.spool.tmp`; // no such process
    const live = `${out}.${process.pid}.1700000000000.spool.tmp`;
    writeFileSync(dead, "x");
    writeFileSync(live, "x");
    await assembleEpisode({ clips: one(speechLike(1, RATE)), segmentNames: ["One"], meta, outFile: out });
    expect(readdirSync(path.dirname(out)).sort()).toEqual(["audio.mp3", path.basename(live)]);
  });

  it("refuses an episode where every clip is silent", async () => {
    const out = outFile();
    await expect(
      assembleEpisode({
        clips: one({ samples: new Float32Array(RATE), sampleRate: RATE }),
        segmentNames: ["One"],
        meta,
        outFile: out,
      }),
    ).rejects.toMatchObject({
      kind: "invalid_input",
      field: "clips",
    });
    expect(readdirSync(path.dirname(out))).toEqual([]);
  });

  it("refuses a cover that is not a PNG, and a clip with an impossible sample rate, naming the field", async () => {
    const clips = one(speechLike(1, RATE));
    await expect(
      assembleEpisode({
        clips,
        segmentNames: ["One"],
        meta: { ...meta, cover: Buffer.from("GIF89a not a png") },
        outFile: outFile(),
      }),
    ).rejects.toMatchObject({
      kind: "invalid_input",
      field: "meta.cover",
    });
    await expect(
      assembleEpisode({
        clips: one({ samples: new Float32Array(10), sampleRate: 12 }),
        segmentNames: ["One"],
        meta,
        outFile: outFile(),
      }),
    ).rejects.toMatchObject({
      kind: "invalid_input",
      field: "clips[0].pcm.sampleRate",
    });
  });

  it("stops when canceled before it starts", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(
      assembleEpisode({
        clips: one(speechLike(1, RATE)),
        segmentNames: ["One"],
        meta,
        outFile: outFile(),
        signal: ac.signal,
      }),
    ).rejects.toMatchObject({
      kind: "canceled",
    });
  });

  it("lets the event loop run in every pass of a long episode; a cancel while encoding leaves no file", async () => {
    // 2 minutes at 16 kHz, the built-in voices' rate: resampling is part of the work. Counting timer
    // turns per pass (not measuring gaps) keeps this independent of the machine's load.
    const clips = Array.from({ length: 12 }, (_, i) =>
      heldClip(speechLike(10, 16_000, { seed: 100 + i, peak: 0.3 }), {
        speaker: i % 2 ? "Ben" : "Ana",
        text: "…",
        segment: Math.floor(i / 4),
      }),
    );
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const at: number[] = [];
    const seen: number[] = [];
    try {
      const ep = await assembleEpisode({
        clips,
        segmentNames: ["A", "B", "C"],
        meta,
        outFile: outFile(),
        onProgress: (f) => {
          seen.push(f);
          at.push(ticks);
        },
      });
      expect(ep.durationSeconds).toBeGreaterThan(120);
    } finally {
      clearInterval(timer);
    }
    const ticksWhile = (from: number, to: number) => {
      const inside = seen.map((f, i) => (f > from && f <= to ? at[i]! : undefined)).filter((t) => t !== undefined);
      return inside.length ? inside.at(-1)! - inside[0]! : 0;
    };
    expect(ticksWhile(0, 0.1)).toBeGreaterThanOrEqual(3); // pass 1: load, resample, meter
    expect(ticksWhile(0.1, 0.25)).toBeGreaterThanOrEqual(3); // pass 2: limit, meter
    expect(ticksWhile(0.25, 1)).toBeGreaterThanOrEqual(3); // pass 3: limit, encode

    const out = outFile();
    const ac = new AbortController();
    let last = 0;
    const run = assembleEpisode({
      clips,
      segmentNames: ["A", "B", "C"],
      meta,
      outFile: out,
      signal: ac.signal,
      onProgress: (f) => {
        last = f;
        if (f >= 0.5) ac.abort(); // while encoding
      },
    });
    await expect(run).rejects.toMatchObject({ kind: "canceled" });
    expect(last).toBeLessThan(1);
    expect(readdirSync(path.dirname(out))).toEqual([]);
  });
});

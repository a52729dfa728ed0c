import { describe, expect, it } from "vitest";
import { chaptersOf, joinClips, trimSilence } from "../../src/pipeline/audio/join.js";
import { sine, speechLike } from "../../src/pipeline/audio/test-signals.js";
import type { Pcm, Turn } from "../../src/core/model.js";

const RATE = 24_000;
const turn = (speaker: string, segment: number, text = `${speaker} says something.`): Turn => ({
  speaker,
  text,
  segment,
});

/** A clip with `pad` seconds of TTS-style silence on both sides of `body` seconds of speech. */
const clip = (body: number, pad: number, rate = RATE, seed = 1): Pcm =>
  speechLike(body, rate, { seed, padding: pad, peak: 0.4 });

function audibleSpan(x: Float32Array, from: number, to: number): [number, number] {
  let a = from;
  while (a < to && Math.abs(x[a]!) < 1e-4) a++;
  let b = to - 1;
  while (b > a && Math.abs(x[b]!) < 1e-4) b--;
  return [a, b + 1];
}

describe("joinClips", () => {
  it("trims padding, pauses 0.35 s within a segment and 1.0 s across, with real timings", () => {
    const clips = [
      { pcm: clip(2, 0.5, RATE, 1), turn: turn("Ana", 0) },
      { pcm: clip(1.5, 0.2, 16_000, 2), turn: turn("Ben", 0) }, // built-in Flite rate: resampled
      { pcm: clip(1, 0.8, 22_050, 3), turn: turn("Ana", 1) },
      { pcm: clip(2, 0, RATE, 4), turn: turn("Ben", 1) },
    ];
    const out = joinClips(clips, { segmentNames: ["Opening", "Deep dive"] });
    expect(out.pcm.sampleRate).toBe(RATE);
    const t = out.turns;
    expect(t.map((x) => x.speaker)).toEqual(["Ana", "Ben", "Ana", "Ben"]);
    // Each turn lasts its speech (plus a 20 ms margin each side), not its padding.
    [2, 1.5, 1, 2].forEach((body, i) => expect(t[i]!.end - t[i]!.start).toBeGreaterThan(body - 0.15));
    [2, 1.5, 1, 2].forEach((body, i) => expect(t[i]!.end - t[i]!.start).toBeLessThan(body + 0.05));
    expect(t[1]!.start - t[0]!.end).toBeCloseTo(0.35, 3);
    expect(t[2]!.start - t[1]!.end).toBeCloseTo(1.0, 3);
    expect(t[3]!.start - t[2]!.end).toBeCloseTo(0.35, 3);
    expect(t[0]!.start).toBeCloseTo(0.3, 3);
    expect(out.pcm.samples.length / RATE - t[3]!.end).toBeCloseTo(0.7, 3);
    // The timings are those of the samples: sound exactly inside each turn, silence in the pauses.
    const x = out.pcm.samples;
    for (const turnT of t) {
      const [a, b] = audibleSpan(x, Math.round(turnT.start * RATE), Math.round(turnT.end * RATE));
      expect(a / RATE - turnT.start).toBeLessThan(0.03);
      expect(turnT.end - b / RATE).toBeLessThan(0.03);
    }
    for (let i = 1; i < t.length; i++) {
      const gap = x.subarray(Math.round(t[i - 1]!.end * RATE) + 1, Math.round(t[i]!.start * RATE) - 1);
      expect(gap.every((v) => v === 0)).toBe(true);
    }
    expect(out.chapters).toEqual([
      { title: "Opening", start: 0, end: expect.closeTo(t[2]!.start - 0.25, 6) },
      { title: "Deep dive", start: expect.closeTo(t[2]!.start - 0.25, 6), end: out.pcm.samples.length / RATE },
    ]);
  });

  it("fades clip edges: a clip cut mid-waveform starts and ends at zero, without a step", () => {
    const loud = sine(300, 0.5, RATE, 0.8, Math.PI / 2); // starts at its crest: a click if pasted raw
    const out = joinClips([{ pcm: loud, turn: turn("Ana", 0) }], { leadIn: 0.1, tail: 0.1 });
    const start = Math.round(out.turns[0]!.start * RATE);
    const end = Math.round(out.turns[0]!.end * RATE);
    expect(Math.abs(out.pcm.samples[start]!)).toBeLessThan(0.01);
    expect(Math.abs(out.pcm.samples[end - 1]!)).toBeLessThan(0.01);
    let maxStep = 0;
    for (let i = start - 5; i < start + 200; i++)
      maxStep = Math.max(maxStep, Math.abs(out.pcm.samples[i + 1]! - out.pcm.samples[i]!));
    expect(maxStep).toBeLessThan(0.1);
  });

  it("keeps a silent clip as a zero-length turn and names unnamed segments", () => {
    const out = joinClips([
      { pcm: clip(1, 0), turn: turn("Ana", 0) },
      { pcm: { samples: new Float32Array(RATE), sampleRate: RATE }, turn: turn("Ben", 2) },
    ]);
    expect(out.turns[1]!.end).toBe(out.turns[1]!.start);
    expect(out.chapters.map((c) => c.title)).toEqual(["Part 1", "Part 3"]);
  });

  it("rejects no clips and a bad segment index, naming the field", () => {
    expect(() => joinClips([])).toThrow(/clips: at least one/);
    expect(() => joinClips([{ pcm: clip(1, 0), turn: turn("Ana", -1) }])).toThrow(/clips\[0\]\.turn\.segment/);
    expect(() =>
      joinClips([
        { pcm: clip(1, 0), turn: turn("Ana", 0) },
        { pcm: { samples: new Float32Array(10), sampleRate: 0 }, turn: turn("Ben", 0) },
      ]),
    ).toThrow(/clips\[1\]\.pcm\.sampleRate: must be an integer/);
  });
});

describe("trimSilence / chaptersOf", () => {
  it("keeps quiet speech above the floor but drops low noise in the padding", () => {
    const x = new Float32Array(3 * RATE);
    for (let i = 0; i < x.length; i++) x[i] = (Math.random() - 0.5) * 1e-4; // -86 dBFS hiss
    x.set(sine(440, 1, RATE, 0.05).samples, RATE); // -26 dBFS tone in the middle second
    const t = trimSilence(x, RATE, -50);
    expect(t.length / RATE).toBeGreaterThan(0.99);
    expect(t.length / RATE).toBeLessThan(1.05);
  });

  it("chapters tile the file when segments come back", () => {
    const turns = [0, 0, 1, 0].map((segment, i) => ({
      speaker: "A",
      text: "x",
      segment,
      start: i * 2 + 1,
      end: i * 2 + 2,
    }));
    const ch = chaptersOf(turns, ["Intro", "Middle"], 10);
    expect(ch.map((c) => c.title)).toEqual(["Intro", "Middle", "Intro"]);
    for (let i = 1; i < ch.length; i++) expect(ch[i]!.start).toBe(ch[i - 1]!.end);
    expect(ch[ch.length - 1]!.end).toBe(10);
  });
});

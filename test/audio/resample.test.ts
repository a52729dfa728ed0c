import { describe, expect, it } from "vitest";
import { pcm16ToFloat, resample } from "../../src/pipeline/audio/resample.js";
import { sine } from "../../src/pipeline/audio/test-signals.js";
import { db, toneAmplitude, zeroCrossingFrequency } from "./dsp-helpers.js";

describe("pcm16ToFloat", () => {
  it("decodes signed 16-bit little-endian, whatever the buffer alignment", () => {
    const raw = Buffer.alloc(9);
    const view = raw.subarray(1); // odd byte offset, as pooled Buffers often are
    view.writeInt16LE(0, 0);
    view.writeInt16LE(16384, 2);
    view.writeInt16LE(-32768, 4);
    view.writeInt16LE(32767, 6);
    expect(Array.from(pcm16ToFloat(view))).toEqual([0, 0.5, -1, 32767 / 32768]);
  });
  it("rejects an odd byte count, naming the field", () => {
    expect(() => pcm16ToFloat(Buffer.alloc(3))).toThrow(/pcm: .*even byte length/);
  });
});

describe("resample", () => {
  const pairs: [number, number][] = [
    [16_000, 24_000],
    [22_050, 24_000],
    [44_100, 24_000],
    [24_000, 44_100],
    [48_000, 24_000],
  ];
  for (const [from, to] of pairs) {
    it(`${from} → ${to} Hz keeps a 1 kHz tone's frequency and level`, () => {
      const out = resample(sine(1000, 1, from, 0.5), to);
      expect(out.sampleRate).toBe(to);
      expect(Math.abs(out.samples.length - to)).toBeLessThanOrEqual(1);
      // Skip the kernel's edges, where the clip starts from silence.
      const mid = out.samples.subarray(200, out.samples.length - 200);
      expect(zeroCrossingFrequency(mid, to)).toBeCloseTo(1000, 1);
      expect(toneAmplitude(mid, to, 1000)).toBeCloseTo(0.5, 2);
    });
  }

  it("keeps the passband flat to 10 kHz at 44.1 → 24 kHz (±0.05 dB)", () => {
    for (const f of [100, 3000, 8000, 10_000]) {
      const out = resample(sine(f, 1, 44_100, 1), 24_000).samples.subarray(300, -300);
      expect(Math.abs(db(toneAmplitude(out, 24_000, f)))).toBeLessThan(0.05);
    }
  });

  it("handles an awkward rate pair (16001 → 24000 Hz: 24000 phases, quantized to 1024)", () => {
    const out = resample(sine(1000, 1, 16_001, 0.5), 24_000).samples.subarray(300, -300);
    expect(zeroCrossingFrequency(out, 24_000)).toBeCloseTo(1000, 1);
    expect(toneAmplitude(out, 24_000, 1000)).toBeCloseTo(0.5, 2);
    // Output sample j is the input at time j / 24000 s exactly: compare with the ideal tone there.
    let err = 0;
    for (let i = 0; i < out.length; i++)
      err += (out[i]! - 0.5 * Math.sin((2 * Math.PI * 1000 * (i + 300)) / 24_000)) ** 2;
    const signal = (0.5 ** 2 / 2) * out.length;
    expect(10 * Math.log10(err / signal)).toBeLessThan(-50);
  });

  it("returns the same clip when the rate already matches", () => {
    const pcm = sine(440, 0.1, 24_000);
    expect(resample(pcm, 24_000)).toBe(pcm);
  });

  // Stated attenuation: tones above the new Nyquist fold back at least 75 dB down (measured 83–105 dB).
  it("does not alias tones above the new Nyquist (≥ 75 dB attenuation)", () => {
    for (const [from, tone] of [
      [44_100, 14_000], // would fold to 10 kHz at 24 kHz
      [48_000, 13_000], // would fold to 11 kHz
      [44_100, 20_000], // would fold to 4 kHz
      [48_000, 12_100], // just past the new Nyquist: the hardest case
    ] as const) {
      const out = resample(sine(tone, 1, from, 1), 24_000).samples.subarray(300, -300);
      const alias = 24_000 - tone;
      expect(db(toneAmplitude(out, 24_000, alias))).toBeLessThan(-75);
    }
  });

  it("does not image on upsampling: 16 kHz → 24 kHz puts < -75 dB at 16000 − f", () => {
    const out = resample(sine(5000, 1, 16_000, 1), 24_000).samples.subarray(300, -300);
    expect(db(toneAmplitude(out, 24_000, 11_000))).toBeLessThan(-75);
    expect(toneAmplitude(out, 24_000, 5000)).toBeGreaterThan(0.95);
  });

  it("rejects a nonsense rate", () => {
    expect(() => resample(sine(440, 0.1, 24_000), 0)).toThrow(/rate: /);
  });
});

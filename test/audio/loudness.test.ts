import { describe, expect, it } from "vitest";
import { integratedLoudness, kWeightingFilters, truePeak } from "../../src/pipeline/audio/loudness.js";
import { EPISODE_SAMPLE_RATE } from "../../src/pipeline/audio/resample.js";
import { sine, speechLike } from "../../src/pipeline/audio/test-signals.js";
import { concat } from "./dsp-helpers.js";

describe("BS.1770-4 meter", () => {
  it("derives the standard's 48 kHz K-weighting coefficients", () => {
    const [shelf, hp] = kWeightingFilters(48_000);
    // ITU-R BS.1770-4, tables 1 and 2.
    expect(shelf.b0).toBeCloseTo(1.53512485958697, 8);
    expect(shelf.b1).toBeCloseTo(-2.69169618940638, 8);
    expect(shelf.b2).toBeCloseTo(1.19839281085285, 8);
    expect(shelf.a1).toBeCloseTo(-1.69065929318241, 8);
    expect(shelf.a2).toBeCloseTo(0.73248077421585, 8);
    expect(hp.a1).toBeCloseTo(-1.99004745483398, 8);
    expect(hp.a2).toBeCloseTo(0.99007225036621, 8);
  });

  for (const rate of [48_000, EPISODE_SAMPLE_RATE, 44_100, 16_000]) {
    it(`reads a 997 Hz sine at ${rate} Hz: 0 dBFS → -3.01 LUFS, -20 dBFS → -23.0`, () => {
      expect(integratedLoudness(sine(997, 5, rate, 1))).toBeCloseTo(-3.01, 1);
      const l20 = integratedLoudness(sine(997, 5, rate, 0.1));
      expect(Math.abs(l20 - -23.01)).toBeLessThan(0.1);
    });
  }

  it("is -Infinity for silence and for less than one 400 ms block", () => {
    expect(integratedLoudness({ samples: new Float32Array(24_000), sampleRate: 24_000 })).toBe(-Infinity);
    expect(integratedLoudness(sine(997, 0.3, 24_000, 0.5))).toBe(-Infinity);
  });

  it("absolute gate: a passage under -70 LUFS is left out", () => {
    const rate = EPISODE_SAMPLE_RATE;
    const loud = sine(997, 4, rate, 0.1).samples; // -23 LUFS
    const quiet = sine(997, 8, rate, 0.0001).samples; // -83 LUFS
    const mixed = integratedLoudness({ samples: concat(loud, quiet), sampleRate: rate });
    // 37 all-loud blocks plus the 3 overlapping the edge (75/50/25 % loud) pass the gate; the rest do not.
    const expected = -23.01 + 10 * Math.log10((37 + 0.75 + 0.5 + 0.25) / 40);
    expect(Math.abs(mixed - expected)).toBeLessThan(0.03);
    // Were the 80 quiet blocks counted, the result would be ~5 LU lower.
  });

  it("relative gate: a passage more than 10 LU under the level is left out, one less is kept", () => {
    const rate = EPISODE_SAMPLE_RATE;
    const loud = sine(997, 4, rate, 0.1).samples; // -23 LUFS
    const under = sine(997, 4, rate, 0.02).samples; // -37 LUFS: gated out
    const gated = integratedLoudness({ samples: concat(loud, under), sampleRate: rate });
    // As above: the 3 edge blocks (mostly loud) pass the relative gate, the 37 quiet ones do not.
    const under2 = 0.04; // power of the quiet part relative to the loud one
    const edge = [0.75, 0.5, 0.25].reduce((sum, f) => sum + f + (1 - f) * under2, 0);
    expect(Math.abs(gated - (-23.01 + 10 * Math.log10((37 + edge) / 40)))).toBeLessThan(0.03);
    // -28 LUFS is within 10 LU of the ~-25 level: kept, so the result drops well below the loud part.
    const near = sine(997, 4, rate, 0.0562).samples;
    const kept = integratedLoudness({ samples: concat(loud, near), sampleRate: rate });
    expect(kept).toBeLessThan(-24.5);
    expect(kept).toBeGreaterThan(-27);
  });

  it("weights frequencies: 100 Hz reads lower than 997 Hz, 4 kHz higher (K-weighting)", () => {
    const rate = EPISODE_SAMPLE_RATE;
    const ref = integratedLoudness(sine(997, 3, rate, 0.1));
    expect(integratedLoudness(sine(30, 3, rate, 0.1))).toBeLessThan(ref - 1);
    expect(integratedLoudness(sine(4000, 3, rate, 0.1))).toBeGreaterThan(ref + 3);
  });
});

describe("true peak", () => {
  it("finds the inter-sample peak of a sine sampled off its crest", () => {
    // fs/4 tone with a 45° phase offset: every sample is at ±0.707 of the real peak (-3 dB).
    const x = sine(6000, 1, 24_000, 1, Math.PI / 4);
    let samplePeak = 0;
    for (const v of x.samples) samplePeak = Math.max(samplePeak, Math.abs(v));
    expect(20 * Math.log10(samplePeak)).toBeCloseTo(-3.01, 1);
    expect(truePeak(x)).toBeGreaterThan(-0.3);
    expect(truePeak(x)).toBeLessThan(0.2);
  });

  it("equals the sample peak for a slow sine and scales with gain", () => {
    const tp = truePeak(sine(100, 1, 24_000, 0.5));
    expect(tp).toBeCloseTo(-6.02, 1);
    const speech = speechLike(3, 24_000, { peak: 0.5 });
    expect(truePeak(speech)).toBeGreaterThanOrEqual(-6.03);
  });
});

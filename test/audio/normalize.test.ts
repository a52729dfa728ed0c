import { describe, expect, it } from "vitest";
import { limitInPlace } from "../../src/pipeline/audio/limiter.js";
import { integratedLoudness, truePeak, truePeakLinear } from "../../src/pipeline/audio/loudness.js";
import { normalize } from "../../src/pipeline/audio/normalize.js";
import { sine, speechLike } from "../../src/pipeline/audio/test-signals.js";
import type { Pcm } from "../../src/core/model.js";

const RATE = 24_000;

function expectNormalized(input: Pcm) {
  const before = input.samples.slice();
  const r = normalize(input);
  // Independent re-measurement of the output, not the function's own report.
  const lufs = integratedLoudness(r.pcm);
  const tp = truePeak(r.pcm);
  expect(Math.abs(lufs - -16)).toBeLessThan(0.5);
  expect(tp).toBeLessThanOrEqual(-1);
  expect(r.integrated).toBeCloseTo(lufs, 5);
  expect(r.truePeak).toBeCloseTo(tp, 5);
  let changed = 0; // not in place unless asked (a loop: deep-equal on big typed arrays is slow)
  for (let i = 0; i < before.length; i++) if (input.samples[i] !== before[i]) changed++;
  expect(changed).toBe(0);
  return { lufs, tp, out: r.pcm };
}

describe("normalize to -16 LUFS / -1 dBTP", () => {
  it("raises quiet speech-like audio", () => {
    const { lufs } = expectNormalized(speechLike(20, RATE, { seed: 3, peak: 0.05 }));
    expect(Math.abs(lufs - -16)).toBeLessThan(0.1);
  });

  it("lowers a loud sine and a quiet sine to the target", () => {
    expectNormalized(sine(997, 5, RATE, 0.9));
    expectNormalized(sine(440, 5, RATE, 0.01));
  });

  it("limits a loud, peaky input: clicks and pulses far above the ceiling", () => {
    const x = speechLike(20, RATE, { seed: 9, peak: 0.3 });
    // Crest factor well past what -16 LUFS leaves room for: needs the limiter, not just gain.
    for (let i = 5000; i < x.samples.length; i += 9000) {
      x.samples[i] = 1;
      x.samples[i + 1] = -1;
    }
    const input = { samples: x.samples.slice(), sampleRate: RATE };
    const plainGain = 10 ** ((-16 - integratedLoudness(input)) / 20);
    expect(20 * Math.log10(truePeakLinear(input.samples) * plainGain)).toBeGreaterThan(3); // gain alone would clip
    const { lufs } = expectNormalized(input);
    expect(Math.abs(lufs - -16)).toBeLessThan(0.2);
  });

  it("leaves silence alone and works in place when asked", () => {
    const silent = { samples: new Float32Array(RATE), sampleRate: RATE };
    expect(normalize(silent).integrated).toBe(-Infinity);
    const pcm = speechLike(5, RATE, { seed: 4, peak: 0.1 });
    const r = normalize(pcm, { inPlace: true, targetLufs: -20, maxTruePeak: -2 });
    expect(r.pcm.samples).toBe(pcm.samples);
    expect(Math.abs(integratedLoudness(pcm) - -20)).toBeLessThan(0.5);
    expect(truePeak(pcm)).toBeLessThanOrEqual(-2);
  });

  it("rejects a target above 0 LUFS, naming the field", () => {
    expect(() => normalize(sine(997, 1, RATE), { targetLufs: 3 })).toThrow(/targetLufs: /);
  });
});

describe("look-ahead limiter", () => {
  it("touches only the neighbourhood of a peak, ramping instead of jumping", () => {
    const x = sine(200, 2, RATE, 0.5).samples;
    const peakAt = RATE; // 1 s
    for (let i = peakAt - 50; i < peakAt + 50; i++) x[i]! *= 3; // a 4 ms burst to 1.5
    const orig = x.slice();
    const minGain = limitInPlace(x, RATE, 0.8);
    expect(minGain).toBeLessThan(0.55);
    expect(truePeakLinear(x)).toBeLessThanOrEqual(0.8 * 1.01);
    // Far from the burst nothing changed.
    for (const i of [1000, peakAt - 2000, peakAt + 20_000]) expect(x[i]).toBe(orig[i]);
    // Gain begins to fall before the burst (look-ahead) and never steps by more than a few %.
    expect(Math.abs(x[peakAt - 100]! / orig[peakAt - 100]!)).toBeLessThan(0.999);
    let prev = 1;
    for (let i = peakAt - 400; i < peakAt + 4000; i++) {
      if (Math.abs(orig[i]!) < 0.05) continue;
      const g = x[i]! / orig[i]!;
      expect(Math.abs(g - prev)).toBeLessThan(0.05);
      prev = g;
    }
  });
});

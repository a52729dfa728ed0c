// Loudness without the samples: the streaming meter, the clip energies the assembler keeps, and the
// prediction of a limited clip's loudness at another gain, each against the batch meter on real samples.
import { describe, expect, it } from "vitest";
import { measureClip } from "../../src/pipeline/audio/clip-energy.js";
import { pooledLoudness, solveGainDb, timelineLoudness } from "../../src/pipeline/audio/level.js";
import { limitInPlace } from "../../src/pipeline/audio/limiter.js";
import { dbToGain, integratedLoudness, TimelineMeter } from "../../src/pipeline/audio/loudness.js";
import { speechLike } from "../../src/pipeline/audio/test-signals.js";

const RATE = 24_000;

/** Clips at timeline positions with pauses between them, and the whole timeline in memory to compare with. */
function timeline(count: number) {
  const clips: { x: Float32Array; start: number; speaker: string }[] = [];
  let pos = 7_200;
  for (let i = 0; i < count; i++) {
    const x = speechLike(2 + (i % 4), RATE, { seed: 40 + i, peak: i % 2 ? 0.15 : 0.6 }).samples;
    clips.push({ x, start: pos, speaker: i % 2 ? "Ben" : "Ana" });
    pos += x.length + 8_401; // an odd pause, so clips sit anywhere on the 100 ms grid
  }
  const all = new Float32Array(pos);
  for (const c of clips) all.set(c.x, c.start);
  return { clips, all };
}

describe("loudness without the samples", () => {
  it("the timeline meter, fed clip by clip and pause by pause, equals the batch meter on the whole signal", () => {
    const { clips, all } = timeline(9);
    const meter = new TimelineMeter(RATE);
    let at = 0;
    for (const c of clips) {
      meter.push(undefined, c.start - at);
      meter.push(c.x, c.x.length);
      at = c.start + c.x.length;
    }
    meter.push(undefined, all.length - at);
    expect(meter.integrated()).toBeCloseTo(integratedLoudness({ samples: all, sampleRate: RATE }), 9);
  });

  it("clip energies give the timeline's loudness at any gains, and one clip's own loudness exactly", () => {
    const { clips, all } = timeline(9);
    const measured = clips.map((c) => ({ ...c, energy: measureClip(c.x, c.start, RATE, 1) }));
    expect(timelineLoudness(measured, () => 1, all.length, RATE)).toBeCloseTo(
      integratedLoudness({ samples: all, sampleRate: RATE }),
      3,
    );
    // Ben's clips 6 dB up, in the model and in the samples.
    const gain = (s: string) => (s === "Ben" ? dbToGain(6) : 1);
    const scaled = all.slice();
    for (const c of clips) for (let i = 0; i < c.x.length; i++) scaled[c.start + i]! *= gain(c.speaker);
    expect(timelineLoudness(measured, (c) => gain(c.speaker), all.length, RATE)).toBeCloseTo(
      integratedLoudness({ samples: scaled, sampleRate: RATE }),
      3,
    );
    const one = measured[0]!;
    expect(pooledLoudness([one], () => 1)).toBeCloseTo(integratedLoudness({ samples: one.x, sampleRate: RATE }), 9);
    expect(pooledLoudness([one], () => dbToGain(-3.5))).toBeCloseTo(
      integratedLoudness({ samples: one.x, sampleRate: RATE }) - 3.5,
      9,
    );
  });

  it("a clip under 400 ms still has a level: its whole length counts as one block", () => {
    const short = speechLike(0.3, RATE, { seed: 3, peak: 0.4 }).samples;
    expect(integratedLoudness({ samples: short, sampleRate: RATE })).toBe(-Infinity); // too short for BS.1770
    const level = pooledLoudness([{ speaker: "A", energy: measureClip(short, 0, RATE, 1) }], () => 1);
    // The same sound repeated for 2.4 s has gating blocks, and about the same mean square in each.
    const tiled = new Float32Array(short.length * 8);
    for (let k = 0; k < 8; k++) tiled.set(short, k * short.length);
    expect(Math.abs(level - integratedLoudness({ samples: tiled, sampleRate: RATE }))).toBeLessThan(0.3);
  });

  it("after the limiter, its sensitivity predicts the level 0.5 dB up within 0.05 LU; gain² misses", () => {
    const x = speechLike(8, RATE, { seed: 11, peak: 0.5 }).samples;
    const ceiling = dbToGain(-1.7);
    const limited = (gain: number) => {
      const y = x.map((v) => v * gain);
      const sensitivity = new Float32Array(y.length).fill(1);
      limitInPlace(y, RATE, ceiling, { sensitivity });
      return { y, sensitivity };
    };
    const g = dbToGain(12); // heavy limiting: peaks 6 dB over the ceiling
    const at = limited(g);
    const withSensitivity = { speaker: "A", energy: measureClip(at.y, 0, RATE, g, at.sensitivity) };
    const without = { speaker: "A", energy: measureClip(at.y, 0, RATE, g) };
    // 0.5 dB: the largest step the assembler takes on a prediction (PREDICTION_RANGE_DB) without measuring again.
    const up = g * dbToGain(0.5);
    const actual = integratedLoudness({ samples: limited(up).y, sampleRate: RATE });
    const predicted = pooledLoudness([withSensitivity], () => up);
    const naive = pooledLoudness([without], () => up);
    expect(Math.abs(predicted - actual)).toBeLessThan(0.05);
    expect(Math.abs(naive - actual)).toBeGreaterThan(0.2);
  });

  it("solveGainDb finds the gain that reaches a target, and gives 0 when the target is out of reach", () => {
    const level = (db: number) => -23 + 0.8 * db;
    expect(level(solveGainDb(level, -20))).toBeCloseTo(-20, 3);
    expect(solveGainDb(() => -Infinity, -16)).toBe(0);
    expect(solveGainDb(level, 0)).toBe(0); // would need +28.75 dB
  });
});

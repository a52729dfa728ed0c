// Loudness normalisation: gain to the target integrated loudness, then the look-ahead limiter keeps
// the true peak under the ceiling. Limiting lowers the loudness a little, so gain and limiter
// alternate until the level settles (2–4 rounds on speech; each step is scaled by the slope seen so far).
import { AppError, invalidInput } from "../../errors.js";
import type { Pcm } from "../../core/model.js";
import { drain, limiterSteps } from "./limiter.js";
import { dbToGain, integratedLoudness, truePeakLinear } from "./loudness.js";

export interface NormalizeOptions {
  targetLufs?: number; // default -16 (podcast norm)
  maxTruePeak?: number; // dBTP, default -1
  /** Overwrite the input samples instead of copying (saves a full-length buffer on long episodes). */
  inPlace?: boolean;
}

export interface NormalizeResult {
  pcm: Pcm;
  /** Measured after processing. -Infinity when the input is silent (then it is returned unchanged). */
  integrated: number;
  truePeak: number; // dBTP
}

/** The limiter aims this far under the ceiling: the gain curve slightly modulates interpolated peaks. */
export const CEILING_MARGIN_DB = 0.2;
const TOLERANCE_LU = 0.05;
const MAX_ROUNDS = 6;

export function normalize(pcm: Pcm, opts: NormalizeOptions = {}): NormalizeResult {
  return drain(normalizeSteps(pcm, opts));
}

/**
 * The same, but it gives the event loop a turn every ~50 ms of work: a 30-minute episode takes a
 * few seconds to normalise, and a worker must keep heartbeating and seeing cancellation meanwhile.
 */
export async function normalizeAsync(
  pcm: Pcm,
  opts: NormalizeOptions & { signal?: AbortSignal | undefined } = {},
): Promise<NormalizeResult> {
  const steps = normalizeSteps(pcm, opts);
  let since = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - since > 50) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (opts.signal?.aborted) throw new AppError("canceled", "audio: normalisation canceled");
      since = performance.now();
    }
  }
}

function* normalizeSteps(pcm: Pcm, opts: NormalizeOptions): Generator<void, NormalizeResult> {
  const target = opts.targetLufs ?? -16;
  const maxTp = opts.maxTruePeak ?? -1;
  checkTargets(target, maxTp);
  const x = opts.inPlace ? pcm.samples : pcm.samples.slice();
  const out: Pcm = { samples: x, sampleRate: pcm.sampleRate };
  let level = integratedLoudness(out);
  yield;
  if (!Number.isFinite(level)) return { pcm: out, integrated: level, truePeak: 20 * Math.log10(truePeakLinear(x)) };

  const ceiling = dbToGain(maxTp - CEILING_MARGIN_DB);
  // Each round adds gain and limits again. Heavy limiting makes loudness grow slower than gain, so
  // the step is divided by the slope seen in the previous round (a secant step), not taken 1:1.
  let slope = 1;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const stepDb = (target - level) / slope;
    const gain = dbToGain(stepDb);
    for (let i = 0; i < x.length; i++) x[i]! *= gain;
    yield;
    yield* limiterSteps(x, pcm.sampleRate, ceiling);
    yield;
    const after = integratedLoudness(out);
    yield;
    if (Math.abs(stepDb) > 0.01) slope = Math.min(1, Math.max(0.2, (after - level) / stepDb));
    level = after;
    if (Math.abs(target - level) < TOLERANCE_LU) break;
  }
  // The guarantee: whatever the limiter left, the true peak ends at or under the ceiling.
  const limit = dbToGain(maxTp);
  let peak = truePeakLinear(x);
  yield;
  if (peak > limit) {
    const g = (limit / peak) * 0.999;
    for (let i = 0; i < x.length; i++) x[i]! *= g;
    level = integratedLoudness(out);
    peak = truePeakLinear(x);
  }
  return { pcm: out, integrated: level, truePeak: 20 * Math.log10(peak) };
}

/** Throws invalid_input unless the loudness target and true-peak ceiling are usable. */
export function checkTargets(target: number, maxTp: number): void {
  if (!Number.isFinite(target) || target > 0 || target < -70) {
    throw invalidInput("targetLufs", `must be between -70 and 0, got ${target}`);
  }
  if (!Number.isFinite(maxTp) || maxTp > 0 || maxTp < -20) {
    throw invalidInput("maxTruePeak", `must be between -20 and 0 dBTP, got ${maxTp}`);
  }
}

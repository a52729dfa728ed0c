// How loud each voice and the whole episode come out for a choice of gains, computed from the clips'
// sub-block energies (clip-energy.ts) instead of the samples, and the gains that hit the target.
//
// Voices are levelled per speaker, from all of that speaker's turns pooled (as if its turns were
// played back to back): a short turn ("Right.") has one or no 400 ms gating block of its own, so a
// gain per turn would be guesswork, while the speaker's pool has hundreds; one gain per speaker
// also keeps each voice's own rise and fall between turns. A clip too short for a gating block
// counts as one block of its whole length (it is trimmed speech, so that is its speech level).
// After the limiter, a clip's energy at another gain follows its measured exponents (clip-energy.ts).
import type { ClipEnergy } from "./clip-energy.js";
import { blockPowers, gatedLoudness, subBlockStart } from "./loudness.js";

export interface MeasuredClip {
  speaker: string;
  energy: ClipEnergy;
}

/** Energy of sub-block b at linear gain `gain`: E · (gain / measured gain)^(2 · exponent). */
function scaled(e: ClipEnergy, which: "local" | "timeline", gain: number): (b: number) => number {
  const lnRatio2 = 2 * Math.log(gain / e.gain);
  const { energy, exponent } = e[which];
  if (!exponent) {
    const f = Math.exp(lnRatio2);
    return (b) => energy[b]! * f;
  }
  return (b) => energy[b]! * Math.exp(lnRatio2 * exponent[b]!);
}

/** Integrated loudness (LUFS) of these clips played back to back, each at gainOf(clip). */
export function pooledLoudness<T extends MeasuredClip>(clips: T[], gainOf: (c: T) => number): number {
  const powers: number[] = [];
  for (const c of clips) {
    const e = c.energy;
    const sub = scaled(e, "local", gainOf(c));
    const len = e.localLengths;
    if (len.length < 4) {
      let s = 0;
      let n = 0;
      for (let b = 0; b < len.length; b++) {
        s += sub(b);
        n += len[b]!;
      }
      if (n > 0) powers.push(s / n);
      continue;
    }
    for (let j = 0; j + 3 < len.length; j++) {
      powers.push(
        (sub(j) + sub(j + 1) + sub(j + 2) + sub(j + 3)) / (len[j]! + len[j + 1]! + len[j + 2]! + len[j + 3]!),
      );
    }
  }
  return gatedLoudness(powers);
}

/** Integrated loudness (LUFS) of the whole timeline of `samples` samples, each clip at gainOf(clip). */
export function timelineLoudness<T extends MeasuredClip>(
  clips: T[],
  gainOf: (c: T) => number,
  samples: number,
  sampleRate: number,
): number {
  const count = Math.floor((samples * 10) / sampleRate);
  const sums = new Float64Array(count);
  const lengths = new Float64Array(count);
  for (let b = 0; b < count; b++) lengths[b] = subBlockStart(b + 1, sampleRate) - subBlockStart(b, sampleRate);
  for (const c of clips) {
    const e = c.energy;
    const sub = scaled(e, "timeline", gainOf(c));
    const n = Math.min(e.timeline.energy.length, count - e.first);
    for (let b = 0; b < n; b++) sums[e.first + b]! += sub(b);
  }
  return gatedLoudness(blockPowers(sums, lengths));
}

/**
 * The gain (dB, within ±range) at which level(gain) reaches target, by bisection: level must not
 * fall as the gain rises. 0 when the target is out of reach (silence, or beyond the range).
 */
export function solveGainDb(level: (db: number) => number, target: number, range = 12): number {
  let lo = -range;
  let hi = range;
  if (!(level(lo) <= target && level(hi) >= target)) return 0;
  for (let i = 0; i < 40 && hi - lo > 1e-4; i++) {
    const mid = (lo + hi) / 2;
    if (level(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Speakers' names in order of first appearance, with their clips. */
export function bySpeaker<T extends MeasuredClip>(clips: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const c of clips) {
    const list = m.get(c.speaker) ?? [];
    list.push(c);
    m.set(c.speaker, list);
  }
  return m;
}

// A clip's K-weighted energy, kept in 100 ms sub-blocks (the grid BS.1770's gating blocks are made
// of), so loudness can be computed for any gain without the samples: per speaker from the clip's
// own grid (blocks from its first sample, pooled with the speaker's other clips), and for the
// episode from the timeline's grid (the clip's position in the finished file).
//
// After the limiter, energy no longer follows the gain squared: a sample the limiter pins to the
// ceiling stays there, one on a release ramp rises part of the way. The limiter reports that per
// sample (its sensitivity, limiter.ts), and each sub-block keeps its energy-weighted mean, so its
// energy at a nearby gain g is E · (g / measured gain)^(2 · exponent): one limiter pass predicts the
// level of the next gain choice.
import { KWeighting, subBlockStart } from "./loudness.js";

export interface SubBlocks {
  energy: Float64Array;
  /** Per sub-block d ln(amplitude) / d ln(gain); undefined means 1 throughout (no limiting). */
  exponent: Float64Array | undefined;
}

export interface ClipEnergy {
  /** Linear gain the clip had when measured. */
  gain: number;
  /** Sub-blocks from the clip's first sample; a clip under 100 ms has one, of its whole length. */
  local: SubBlocks;
  localLengths: Float64Array;
  /** Timeline sub-blocks first, first + 1, … covered by the clip. */
  first: number;
  timeline: SubBlocks;
}

/**
 * Meters `y` (the clip as it will sound, at timeline sample `start`), measured at linear `gain`;
 * `sensitivity` is the limiter's, when it ran.
 */
export function measureClip(
  y: Float32Array,
  start: number,
  sampleRate: number,
  gain: number,
  sensitivity?: Float32Array,
): ClipEnergy {
  const sq = scratch(y.length);
  new KWeighting(sampleRate).squares(y, y.length, sq);
  return clipEnergy(sq, y.length, start, sampleRate, gain, sensitivity);
}

/** The same from K-weighted squares already computed (by the timeline's meter, say). */
export function clipEnergy(
  sq: Float64Array,
  n: number,
  start: number,
  sampleRate: number,
  gain: number,
  sensitivity?: Float32Array,
): ClipEnergy {
  // Clip-local grid: whole sub-blocks only (as the meter does), or the whole clip when it is shorter.
  const whole = Math.floor((n * 10) / sampleRate);
  const localCount = Math.max(1, whole);
  const localEdges = (b: number) => (whole === 0 ? (b === 0 ? 0 : n) : subBlockStart(b, sampleRate));
  const local = sumInto(sq, sensitivity, localCount, localEdges);
  const localLengths = new Float64Array(localCount);
  for (let b = 0; b < localCount; b++) localLengths[b] = localEdges(b + 1) - localEdges(b);
  // Timeline grid: every sub-block the clip touches; the pause around it adds nothing.
  let first = Math.floor((start * 10) / sampleRate);
  while (subBlockStart(first + 1, sampleRate) <= start) first++; // rates whose 100 ms is not whole
  while (first > 0 && subBlockStart(first, sampleRate) > start) first--;
  let last = first;
  while (subBlockStart(last + 1, sampleRate) < start + n) last++;
  const timelineEdge = (b: number) => Math.min(n, Math.max(0, subBlockStart(first + b, sampleRate) - start));
  const timeline = sumInto(sq, sensitivity, last - first + 1, timelineEdge);
  return { gain, local, localLengths, first, timeline };
}

function sumInto(
  sq: Float64Array,
  sens: Float32Array | undefined,
  count: number,
  edge: (b: number) => number,
): SubBlocks {
  const energy = new Float64Array(count);
  const exponent = sens ? new Float64Array(count) : undefined;
  for (let b = 0; b < count; b++) {
    const from = edge(b);
    const to = edge(b + 1);
    let e = 0;
    if (sens) {
      let w = 0;
      for (let i = from; i < to; i++) {
        e += sq[i]!;
        w += sq[i]! * sens[i]!;
      }
      exponent![b] = e > 0 ? w / e : 1;
    } else {
      for (let i = from; i < to; i++) e += sq[i]!;
    }
    energy[b] = e;
  }
  return { energy, exponent };
}

/** One squares buffer, grown to the longest clip: a fresh one per clip kept the GC busy. */
let squares = new Float64Array(0);
function scratch(n: number): Float64Array {
  if (squares.length < n) squares = new Float64Array(n);
  return squares;
}

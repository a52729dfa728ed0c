// Look-ahead true-peak limiter, offline and in place.
//
// Gain computer, per sample n (whole signal known, so "look-ahead" is free):
//   need[n] = min(1, ceiling / detector[n])     detector = |x[n]| and the 4× interpolated
//                                               values on both sides of it (true peak)
//   held[n] = min(need[n-H .. n+A])             a peak is seen A samples early, held H after
//   box[n]  = mean(held[n-A .. n+A])            smooth attack ramp of 2A samples
//   g[n]    = min(box[n], g[n-1] + (1-g[n-1])·r) exponential release back towards 1
// Every held[k] in box's window covers the peak at n (H ≥ A), so g[n] ≤ need[n] at every peak:
// the limiter never lets a detected overshoot through, and it only ever lowers the gain.
// The signal is processed in chunks so the extra memory is a few chunk-sized buffers, not a copy.
import { INTERPOLATION_BOUND, INTERPOLATION_REACH, interSamplePeak } from "./loudness.js";

export interface LimiterOptions {
  attackMs?: number;
  holdMs?: number;
  releaseMs?: number;
  /**
   * When given (as long as x, filled with 1 by the caller), receives per sample how the output
   * follows a change of input gain, d ln(out) / d ln(gain): 1 where the limiter is idle, 0 where a
   * peak pins the output to the ceiling, in between on attack and release ramps. Loudness at a
   * nearby gain is then predicted without limiting again (clip-energy.ts).
   */
  sensitivity?: Float32Array | undefined;
}

const CHUNK = 1 << 16;
/** Samples a detector value depends on, each side: the interpolator's reach plus the neighbour pair. */
const KERNEL_REACH = INTERPOLATION_REACH + 2;

/** Lowers the gain of `x` where its true peak would exceed `ceiling` (linear). Returns the smallest gain applied. */
export function limitInPlace(x: Float32Array, sampleRate: number, ceiling: number, opts: LimiterOptions = {}): number {
  return drain(limiterSteps(x, sampleRate, ceiling, opts));
}

/** Runs a step generator to the end, synchronously. */
export function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * The limiter as a generator that pauses after each chunk, so an async caller can let the event
 * loop run (heartbeats, cancellation) during a long episode. Returns the smallest gain applied.
 */
export function* limiterSteps(
  x: Float32Array,
  sampleRate: number,
  ceiling: number,
  opts: LimiterOptions = {},
): Generator<void, number> {
  const A = Math.max(1, Math.round(((opts.attackMs ?? 5) * sampleRate) / 1000));
  const H = Math.max(A, Math.round(((opts.holdMs ?? 20) * sampleRate) / 1000));
  const release = 1 - Math.exp(-1 / (((opts.releaseMs ?? 80) * sampleRate) / 1000));
  const n = x.length;
  const extLen = CHUNK + 3 * A + H; // need[] over [s-A-H, e+2A)
  const need = new Float32Array(extLen);
  const held = new Float32Array(CHUNK + 2 * A);
  const deque = new Int32Array(extLen);
  let pending: Float32Array | null = null;
  let pendingStart = 0;
  const gains = new Float32Array(CHUNK); // free again once applied, before the next chunk fills it
  let gPrev = 1;
  let dPrev = 0;
  let minGain = 1;
  const sens = opts.sensitivity;

  for (let s = 0; s < n; s += CHUNK) {
    if (s > 0) yield;
    const e = Math.min(n, s + CHUNK);
    const extStart = s - A - H;
    const len = e + 2 * A - extStart;
    // 1. Detector over the extended range, read from the not-yet-modified signal.
    const anyOver = computeNeed(x, extStart, len, ceiling, need);
    // 2. Now the previous chunk's gains may be written: nothing reads those samples any more.
    if (pending) applyGain(x, pending, pendingStart);
    pending = null;
    if (!anyOver && gPrev >= 1) continue; // fast path: nothing to limit and fully released
    // 3. held over m ∈ [0, e-s+2A): window need[m .. m+H+A] (sliding minimum with a deque).
    const heldLen = e - s + 2 * A;
    const w = H + A;
    let head = 0;
    let tail = 0;
    let next = 0;
    for (let m = 0; m < heldLen; m++) {
      while (next <= m + w) {
        const v = need[next]!;
        while (tail > head && need[deque[tail - 1]!]! >= v) tail--;
        deque[tail++] = next++;
      }
      while (deque[head]! < m) head++;
      held[m] = need[deque[head]!]!;
    }
    // 4. box mean over held[i .. i+2A] for output sample s+i, then release.
    // Derivatives with respect to ln(input gain), for `sensitivity`: a held value under 1 comes from
    // a peak and scales as 1/gain (derivative −held); the release ramp carries the previous one on.
    let sum = 0;
    let sumLow = 0;
    for (let m = 0; m < 2 * A; m++) {
      sum += held[m]!;
      if (held[m]! < 1) sumLow += held[m]!;
    }
    let changed = false;
    for (let i = 0; i < e - s; i++) {
      const enter = held[i + 2 * A]!;
      sum += enter;
      if (enter < 1) sumLow += enter;
      const box = sum / (2 * A + 1);
      const dBox = -sumLow / (2 * A + 1);
      const leave = held[i]!;
      sum -= leave;
      if (leave < 1) sumLow -= leave;
      const rel = gPrev + (1 - gPrev) * release;
      let g: number;
      let d: number;
      if (box < rel) {
        g = box;
        d = dBox;
      } else {
        g = rel;
        d = (1 - release) * dPrev;
      }
      if (g > 1 - 1e-4) {
        g = 1; // within 0.001 dB of released: snap, so the fast path is reachable again
        d = 0;
      }
      gains[i] = g;
      gPrev = g;
      dPrev = d;
      if (sens) sens[s + i] = 1 + d / g;
      if (g < 1) changed = true;
      if (g < minGain) minGain = g;
    }
    if (changed) {
      pending = gains;
      pendingStart = s;
    }
  }
  if (pending) applyGain(x, pending, pendingStart);
  return minGain;
}

function applyGain(x: Float32Array, gains: Float32Array, start: number): void {
  const end = Math.min(x.length, start + gains.length);
  for (let i = start; i < end; i++) x[i]! *= gains[i - start]!;
}

/**
 * need[j] for sample extStart+j: the gain that brings that sample and the interpolated points on
 * both sides of it down to the ceiling. Interpolation runs only near samples that could exceed it.
 */
function computeNeed(x: Float32Array, extStart: number, len: number, ceiling: number, need: Float32Array): boolean {
  const n = x.length;
  const threshold = ceiling / INTERPOLATION_BOUND;
  let anyOver = false;
  const SUB = 64;
  for (let b = 0; b < len; b += SUB) {
    const bEnd = Math.min(len, b + SUB);
    const lo = Math.max(0, extStart + b - KERNEL_REACH);
    const hi = Math.min(n, extStart + bEnd + KERNEL_REACH);
    let reach = 0;
    for (let i = lo; i < hi; i++) {
      const a = Math.abs(x[i]!);
      if (a > reach) reach = a;
    }
    if (reach <= threshold) {
      need.fill(1, b, bEnd);
      continue;
    }
    // The pair (k-1, k) is shared with the previous sample: interpolate each pair once.
    let left = interSamplePeak(x, extStart + b - 1);
    for (let j = b; j < bEnd; j++) {
      const k = extStart + j;
      const right = interSamplePeak(x, k);
      if (k < 0 || k >= n) {
        need[j] = 1;
        left = right;
        continue;
      }
      let d = Math.abs(x[k]!);
      if (left > d) d = left;
      if (right > d) d = right;
      left = right;
      if (d > ceiling) {
        need[j] = ceiling / d;
        anyOver = true;
      } else need[j] = 1;
    }
  }
  return anyOver;
}

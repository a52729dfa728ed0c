// Measures what a listener hears as voice pitch: the median fundamental of the voiced frames,
// found by normalised autocorrelation (frames whose best peak is weak count as unvoiced).
import type { Pcm } from "../../src/core/model.js";

export function medianPitchHz(pcm: Pcm, minHz = 60, maxHz = 400): number {
  const { samples: x, sampleRate: sr } = pcm;
  const frame = Math.round(0.04 * sr);
  const hop = Math.round(0.02 * sr);
  const minLag = Math.floor(sr / maxHz);
  const maxLag = Math.ceil(sr / minHz);
  const found: number[] = [];
  for (let start = 0; start + frame + maxLag < x.length; start += hop) {
    let energy = 0;
    for (let i = start; i < start + frame; i++) energy += x[i]! * x[i]!;
    if (energy / frame < 1e-4) continue; // silence
    let bestLag = 0;
    let best = 0;
    for (let lag = minLag; lag <= maxLag; lag++) {
      let num = 0;
      let e2 = 0;
      for (let i = start; i < start + frame; i++) {
        num += x[i]! * x[i + lag]!;
        e2 += x[i + lag]! * x[i + lag]!;
      }
      const r = num / Math.sqrt(energy * e2 + 1e-12);
      if (r > best) {
        best = r;
        bestLag = lag;
      }
    }
    if (best > 0.6) found.push(sr / bestLag);
  }
  if (found.length === 0) return NaN;
  found.sort((a, b) => a - b);
  return found[Math.floor(found.length / 2)]!;
}

/** Root mean square level: a guard against "audio" that is all zeros. */
export function rms(pcm: Pcm): number {
  let s = 0;
  for (const v of pcm.samples) s += v * v;
  return Math.sqrt(s / Math.max(1, pcm.samples.length));
}

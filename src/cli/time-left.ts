// How long a run has left, from the pace of the stage it is in. Not from the whole run's pace: the
// stage weights behind the overall fraction (pipeline/run.ts STAGE_WEIGHTS) are typical shares, and
// the built-in writer takes almost none of its share. Measured with prose.md, the built-in writer and
// voices on a loaded 2-core machine: content to transcript (35 % of the bar) took 0.05 s; speech
// 8.6 s; audio 8.0 s. A whole-run pace promised the end at once and then stalled through speech. The
// current stage's pace, applied to all that is left, settles within a few turns.

/** No estimate before the stage has run this long and moved this much: a first turn says little. */
const MIN_STAGE_MS = 1_000;
const MIN_STAGE_PROGRESS = 0.01;

export class TimeLeft {
  #stage = "";
  #stageStart = 0;
  #fractionAtStart = 0;
  #fraction = 0;
  #at = 0;

  /** `fraction` is the whole run's, in [0,1]. */
  update(stage: string, fraction: number, now: number): void {
    if (stage !== this.#stage) {
      this.#stage = stage;
      this.#stageStart = now;
      this.#fractionAtStart = fraction;
    }
    this.#fraction = fraction;
    this.#at = now;
  }

  /** Seconds left, or undefined while there is nothing to go by. */
  seconds(now: number): number | undefined {
    const moved = this.#fraction - this.#fractionAtStart;
    const spent = this.#at - this.#stageStart;
    if (moved < MIN_STAGE_PROGRESS || spent < MIN_STAGE_MS) return undefined;
    const msPerShare = spent / moved;
    // Time since the last update has been spent on what is left.
    return Math.max(0, ((1 - this.#fraction) * msPerShare - (now - this.#at)) / 1000);
  }
}

/** "45 s", "3 min 05 s", "1 h 02 min": how long something takes, in words. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

/** "0:59", "3:09", "1:02:03": the length of a recording, as players show it. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const mm = String(Math.floor((s % 3600) / 60));
  const ss = String(s % 60).padStart(2, "0");
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm.padStart(2, "0")}:${ss}` : `${mm}:${ss}`;
}

// Times as a listener reads them: 0:07, 3:48, 1:02:05.
export function formatTime(seconds: number): string {
  const s = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** "1:02 / 3:48", and the words a screen reader says for it. */
export function formatPosition(current: number, duration: number): { text: string; label: string } {
  return {
    text: `${formatTime(current)} / ${formatTime(duration)}`,
    label: `${formatTime(current)} of ${formatTime(duration)}`,
  };
}

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

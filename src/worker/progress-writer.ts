// Handlers may report progress as often as they like; the job record is written at most every
// PROGRESS_EVERY_MS with the latest value, so a tight loop does not turn into a write storm.
import type { Logger } from "../log.js";
import type { JobProgress } from "../queue/job-status.js";
import type { Lease, LeaseStore } from "../queue/lease.js";

export const PROGRESS_EVERY_MS = 250;

export interface ProgressWriter {
  report(fraction: number, stage: string, message?: string): void;
  close(): void;
}

export function progressWriter(store: LeaseStore, lease: Lease, log: Logger): ProgressWriter {
  let last = 0;
  let latest: JobProgress | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let writing: Promise<unknown> = Promise.resolve();
  const flush = () => {
    timer = undefined;
    if (closed || !latest) return;
    const p = latest;
    latest = undefined;
    last = Date.now();
    // One write at a time: a slow (conflict-retried) write must not land after a newer one and
    // move the job's progress backwards.
    writing = writing
      .then(() => store.progress(lease, p))
      .catch((err: unknown) => log.debug({ err }, "progress write failed (the next one will carry it)"));
  };
  return {
    report(fraction, stage, message = "") {
      if (closed) return;
      const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
      latest = { fraction: f, stage: String(stage), message: String(message) };
      if (!timer) timer = setTimeout(flush, Math.max(0, last + PROGRESS_EVERY_MS - Date.now()));
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}

// Follows a job through the host until it ends. get_job_status with wait_seconds returns at once
// when the status changes, so completion shows without delay; between changes it returns after
// WAIT_SECONDS with the latest progress, which is what moves the bar (hosts do not relay the
// progress notifications the server sends while a call waits, so the frame cannot rely on them).
import type { Host } from "./host.js";

/** Short enough that the bar moves every couple of seconds, long enough to cost ~1 call per 1.5 s. */
const WAIT_SECONDS = 1.5;
/** A host or server hiccup is retried this many times in a row before the frame gives up. */
const MAX_FAILURES = 3;

export interface JobSnapshot {
  status: string;
  fraction: number;
  stage: string | undefined;
  message: string;
  error: string | null;
}

export function toSnapshot(s: Record<string, unknown>): JobSnapshot {
  const p = (s.progress && typeof s.progress === "object" ? s.progress : null) as {
    fraction?: unknown;
    stage?: unknown;
    message?: unknown;
  } | null;
  const status = String(s.status ?? "pending");
  return {
    status,
    fraction: status === "completed" ? 1 : typeof p?.fraction === "number" ? p.fraction : 0,
    stage: typeof p?.stage === "string" ? p.stage : undefined,
    message: typeof p?.message === "string" ? p.message : "",
    error: typeof s.error_message === "string" ? s.error_message : null,
  };
}

const ENDED = new Set(["completed", "failed", "canceled"]);

export interface Following {
  /** Resolves with the final snapshot (completed, failed or canceled). */
  done: Promise<JobSnapshot>;
  /** Read the status now, e.g. when the host forwards a resource update for the job. */
  nudge(): void;
}

export function followJob(
  host: Host,
  jobId: string,
  onUpdate: (s: JobSnapshot) => void,
  signal: AbortSignal,
): Following {
  // Answers can cross (a nudge's read and the loop's wait): never show progress going backwards.
  let last: JobSnapshot | undefined;
  const report = (s: JobSnapshot) => {
    if (last && last.status === s.status && s.fraction < last.fraction) return;
    if (last && ENDED.has(last.status)) return;
    last = s;
    onUpdate(s);
  };
  const read = async (wait: boolean) =>
    toSnapshot(
      await host.callTool("get_job_status", { job_id: jobId, ...(wait ? { wait_seconds: WAIT_SECONDS } : {}) }),
    );

  const loop = async (): Promise<JobSnapshot> => {
    let failures = 0;
    let first = true;
    for (;;) {
      if (signal.aborted) throw new Error("stopped");
      try {
        // The first read does not wait, so the bar shows where the job stands at once.
        const snap = await read(!first);
        first = false;
        failures = 0;
        report(snap);
        if (ENDED.has(snap.status)) return snap;
      } catch (err) {
        if (++failures >= MAX_FAILURES) throw err;
        await new Promise((r) => setTimeout(r, 1_000 * failures));
      }
    }
  };
  return {
    done: loop(),
    nudge: () => void read(false).then(report, () => {}),
  };
}

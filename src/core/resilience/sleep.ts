// Waiting that a cancel can cut short. Every sleep inside a job passes the job's AbortSignal, so a
// canceled job stops waiting at once instead of sitting out a backoff.
import { AppError } from "../../errors.js";

/** The error a canceled wait throws: kind `canceled`, saying what was waiting. */
export function canceledError(signal: AbortSignal, what = "the job"): AppError {
  const reason = signal.reason instanceof Error ? signal.reason : undefined;
  return new AppError("canceled", `${what} was canceled`, reason ? { cause: reason } : {});
}

/** Resolves after `ms`, or rejects with canceledError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal, what?: string): Promise<void> {
  if (signal?.aborted) return Promise.reject(canceledError(signal, what));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(canceledError(signal!, what));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

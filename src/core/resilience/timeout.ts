// A deadline per attempt, so a provider that accepts a request and never answers cannot hang a job.
import { AppError } from "../../errors.js";
import { canceledError } from "./sleep.js";

/**
 * Runs `fn` with a signal that aborts when `signal` does or after `timeoutMs`. A timeout becomes
 * provider_transient (worth a retry); the caller's abort becomes `canceled`. The race makes sure
 * a call that ignores its signal still cannot hang us.
 */
export async function withTimeout<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  signal: AbortSignal,
  what: string,
): Promise<T> {
  if (signal.aborted) throw canceledError(signal, what);
  const timer = new AbortController();
  const handle = setTimeout(() => timer.abort(new Error(`${what} timed out`)), timeoutMs);
  const combined = AbortSignal.any([signal, timer.signal]);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(combined.reason);
    combined.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([fn(combined), aborted]);
  } catch (err) {
    if (signal.aborted) throw canceledError(signal, what);
    if (timer.signal.aborted) {
      throw new AppError("provider_transient", `${what} timed out after ${timeoutMs} ms`, { cause: err });
    }
    throw err;
  } finally {
    clearTimeout(handle);
    if (onAbort) combined.removeEventListener("abort", onAbort);
  }
}

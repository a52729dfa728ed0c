// Retries of calls to paid providers (LLM and speech): the SDKs' own retries are switched off, so
// this is the only loop, Retry-After is honoured and every wait is logged by our code. What still
// fails goes up to the job queue, which reschedules the whole job with the same backoff rule.
import { AppError } from "../../errors.js";
import { backoffMs, type RetryPolicy } from "./backoff.js";
import { canceledError, sleep } from "./sleep.js";

/**
 * Retry-After in ms from response headers: `retry-after-ms` (OpenAI's), else `retry-after` as
 * seconds or an HTTP-date. Undefined when absent or unreadable.
 */
export function retryAfterMs(get: (name: string) => string | null | undefined, now = Date.now()): number | undefined {
  const ms = get("retry-after-ms");
  if (ms != null && ms.trim() !== "" && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = get("retry-after");
  if (value == null || value.trim() === "") return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface RetryOptions extends RetryPolicy {
  signal: AbortSignal;
  /** What is being retried, for the canceled error ("speech synthesis", "the LLM request"). */
  what?: string;
  /**
   * A Retry-After longer than this is not slept through here: the error goes up so the job queue
   * can reschedule the whole job instead of holding a worker slot for minutes. Default 60 s.
   */
  maxRetryAfterMs?: number;
  /** Which failures are worth another try. Default: AppError kind provider_transient. */
  retryable?: (err: unknown) => boolean;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

const transientOnly = (err: unknown) => err instanceof AppError && err.kind === "provider_transient";

export async function withRetries<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const retryable = opts.retryable ?? transientOnly;
  const maxRetryAfter = opts.maxRetryAfterMs ?? 60_000;
  for (let attempt = 1; ; attempt++) {
    if (opts.signal.aborted) throw canceledError(opts.signal, opts.what);
    try {
      return await fn(attempt);
    } catch (err) {
      if (opts.signal.aborted) throw canceledError(opts.signal, opts.what);
      if (attempt >= opts.attempts || !retryable(err)) throw err;
      const asked = err instanceof AppError ? err.retryAfterMs : undefined;
      if (asked !== undefined && asked > maxRetryAfter) throw err;
      // The provider's Retry-After is a floor: never come back sooner than it asked; the small
      // jitter on top keeps requests that were refused together from returning together.
      const delayMs =
        asked !== undefined
          ? asked + Math.round(Math.random() * Math.min(opts.baseDelayMs, 1000))
          : backoffMs(attempt, opts.baseDelayMs, opts.maxDelayMs);
      opts.onRetry?.({ attempt, delayMs, error: err });
      await sleep(delayMs, opts.signal, opts.what);
    }
  }
}

// Retries, timeouts and concurrency limits for the paid providers (speech and LLM), in one place:
// the SDKs' own retries are switched off so Retry-After is honoured, and every attempt is counted
// and logged by our code.
import { AppError, errorMessage } from "../errors.js";

export function canceledError(signal: AbortSignal): AppError {
  const reason = signal.reason instanceof Error ? signal.reason : undefined;
  return new AppError("canceled", "speech synthesis was canceled", reason ? { cause: reason } : {});
}

/**
 * Resolves after `ms`, or rejects with a `canceled` AppError as soon as `signal` aborts
 * (`canceled` words it for the caller; speech synthesis by default).
 */
export function sleep(ms: number, signal?: AbortSignal, canceled: (signal: AbortSignal) => AppError = canceledError): Promise<void> {
  if (signal?.aborted) return Promise.reject(canceled(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(canceled(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

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

export interface RetryOptions {
  /** Total tries, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  signal: AbortSignal;
  /**
   * A Retry-After longer than this is not slept through here: the error goes up so the job queue
   * can reschedule the whole job instead of holding a worker slot for minutes.
   */
  maxRetryAfterMs?: number;
  /** Which failures are worth another try. Default: AppError kind provider_transient. */
  retryable?: (err: unknown) => boolean;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

const transientOnly = (err: unknown) => err instanceof AppError && err.kind === "provider_transient";

/** Delay before retry number `attempt` (1-based): exponential, capped, with jitter in [50%, 100%]. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random = Math.random): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

export async function withRetries<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const retryable = opts.retryable ?? transientOnly;
  const maxRetryAfter = opts.maxRetryAfterMs ?? 60_000;
  for (let attempt = 1; ; attempt++) {
    if (opts.signal.aborted) throw canceledError(opts.signal);
    try {
      return await fn(attempt);
    } catch (err) {
      if (opts.signal.aborted) throw canceledError(opts.signal);
      if (attempt >= opts.attempts || !retryable(err)) throw err;
      const asked = err instanceof AppError ? err.retryAfterMs : undefined;
      if (asked !== undefined && asked > maxRetryAfter) throw err;
      const backoff = backoffDelay(attempt, opts.baseDelayMs, opts.maxDelayMs);
      // The provider's Retry-After is a floor: never come back sooner than it asked; the small
      // jitter on top keeps requests that were refused together from returning together.
      const delayMs = asked !== undefined ? asked + Math.round(Math.random() * Math.min(opts.baseDelayMs, 1000)) : backoff;
      opts.onRetry?.({ attempt, delayMs, error: err });
      await sleep(delayMs, opts.signal);
    }
  }
}

/**
 * Runs `fn` with a signal that aborts when `signal` does or after `timeoutMs`. A timeout becomes
 * provider_transient (worth a retry); the caller's abort becomes `canceled`. The race makes sure
 * a call that ignores its signal still cannot hang us.
 */
export async function withTimeout<T>(fn: (signal: AbortSignal) => Promise<T>, timeoutMs: number, signal: AbortSignal, what: string): Promise<T> {
  if (signal.aborted) throw canceledError(signal);
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
    if (signal.aborted) throw canceledError(signal);
    if (timer.signal.aborted) {
      throw new AppError("provider_transient", `${what} timed out after ${timeoutMs} ms`, { cause: err });
    }
    throw err;
  } finally {
    clearTimeout(handle);
    if (onAbort) combined.removeEventListener("abort", onAbort);
  }
}

export interface Limiter {
  /** Runs `fn` when a slot is free. Waiting ends with `canceled` if `signal` aborts first. */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly limit: number;
  readonly active: number;
  readonly waiting: number;
}

export function createLimiter(n: number): Limiter {
  if (!Number.isInteger(n) || n < 1) throw new AppError("invalid_input", `concurrency: must be a whole number ≥ 1 (got ${n})`, { field: "concurrency" });
  let active = 0;
  const queue: Array<{ start: () => void }> = [];
  const release = () => {
    active--;
    const next = queue.shift();
    if (next) next.start();
  };
  return {
    limit: n,
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(canceledError(signal));
      const go = () => {
        active++;
        let p: Promise<T>;
        try {
          p = fn();
        } catch (err) {
          p = Promise.reject(err);
        }
        return p.finally(release);
      };
      if (active < n) return go();
      return new Promise<T>((resolve, reject) => {
        const entry = {
          start: () => {
            signal?.removeEventListener("abort", onAbort);
            go().then(resolve, reject);
          },
        };
        const onAbort = () => {
          const i = queue.indexOf(entry);
          if (i >= 0) queue.splice(i, 1);
          reject(canceledError(signal!));
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        queue.push(entry);
      });
    },
  };
}

/** Describes an unknown thrown value for logs without dumping whole SDK objects. */
export function describeError(err: unknown): string {
  return err instanceof AppError ? `${err.kind}: ${err.message}` : errorMessage(err);
}

// OpenAI SDK errors → AppError kinds the queue acts on, and a small retry loop for transient ones
// that honours Retry-After. The SDK's own retries are off (maxRetries 0) so this is the only loop
// and every wait is visible in our logs.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { AppError } from "../../errors.js";
import type { Logger } from "../../log.js";
import { retryAfterMs, sleep } from "../resilience.js";

function canceled(): AppError {
  return new AppError("canceled", "the job was canceled while waiting for the LLM");
}

export function toAppError(err: unknown, what: string, signal: AbortSignal, timeoutMs: number): AppError {
  if (err instanceof AppError) return err;
  if (signal.aborted || err instanceof APIUserAbortError) return canceled();
  if (err instanceof APIConnectionTimeoutError) {
    return new AppError("provider_transient", `${what}: no reply within ${Math.round(timeoutMs / 1000)} s`, { cause: err });
  }
  if (err instanceof APIConnectionError) {
    return new AppError("provider_transient", `${what}: connection failed (${err.message})`, { cause: err });
  }
  if (err instanceof APIError && typeof err.status === "number") {
    const status = err.status;
    const detail = `${what} returned HTTP ${status}: ${err.message}`;
    if (status === 401 || status === 403) return new AppError("provider_auth", `${detail} — check OPENAI_API_KEY`, { cause: err });
    // A 429 for an exhausted quota will not clear by waiting.
    if (status === 429 && err.code === "insufficient_quota") return new AppError("provider_permanent", detail, { cause: err });
    if (status === 408 || status === 409 || status === 429 || status >= 500) {
      const after = retryAfterMs((name) => err.headers?.get(name));
      return new AppError("provider_transient", detail, { cause: err, ...(after !== undefined ? { retryAfterMs: after } : {}) });
    }
    return new AppError("provider_permanent", detail, { cause: err });
  }
  return new AppError("internal", `${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  /** A Retry-After longer than this is handed to the queue (which reschedules the job) instead of slept. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 };

/** Run `fn`, retrying provider_transient failures with backoff (or the server's Retry-After). */
export async function withTransientRetry<T>(fn: () => Promise<T>, signal: AbortSignal, policy: RetryPolicy, log: Logger): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof AppError) || err.kind !== "provider_transient" || attempt >= policy.attempts) throw err;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delay = err.retryAfterMs ?? backoff + Math.floor(Math.random() * backoff * 0.2);
      if (delay > policy.maxDelayMs) throw err;
      log.warn({ attempt, delayMs: delay, err: err.message }, "LLM request failed, retrying");
      await sleep(delay, signal, canceled);
    }
  }
}

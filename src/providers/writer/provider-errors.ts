// OpenAI SDK errors → AppError kinds the queue acts on (through the one status mapping of the
// resilience kit), and the writer's retry policy. The SDK's own retries are off (maxRetries 0), so
// the kit's withRetries is the only loop and every wait is visible in our logs.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { AppError } from "../../errors.js";
import type { RetryPolicy } from "../../core/resilience/backoff.js";
import { httpStatusError } from "../../core/resilience/http-status.js";

export const LLM_WHAT = "the LLM request";

function canceled(): AppError {
  return new AppError("canceled", `${LLM_WHAT} was canceled`);
}

export function toAppError(err: unknown, what: string, signal: AbortSignal, timeoutMs: number): AppError {
  if (err instanceof AppError) return err;
  if (signal.aborted || err instanceof APIUserAbortError) return canceled();
  if (err instanceof APIConnectionTimeoutError) {
    return new AppError("provider_transient", `${what}: no reply within ${Math.round(timeoutMs / 1000)} s`, {
      cause: err,
    });
  }
  if (err instanceof APIConnectionError) {
    return new AppError("provider_transient", `${what}: connection failed (${err.message})`, { cause: err });
  }
  if (err instanceof APIError && typeof err.status === "number") {
    return httpStatusError({
      provider: what,
      status: err.status,
      header: (name) => err.headers?.get(name),
      detail: err.message,
      code: typeof err.code === "string" ? err.code : undefined,
      authHint: "check the writer's API key (LLM_API_KEY or OPENAI_API_KEY)",
      cause: err,
    });
  }
  return new AppError("internal", `${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

/**
 * Four tries, 0.5–1 s growing to 4–8 s. A Retry-After longer than a minute is handed to the queue
 * (which reschedules the job) instead of being slept through here.
 */
export const LLM_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 };

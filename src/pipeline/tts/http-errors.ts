// One mapping from a provider's HTTP answer to the error kinds the queue acts on.
import { AppError } from "../../errors.js";
import { retryAfterMs } from "../resilience.js";

/** Status codes that mean "try again later": timeouts, conflicts on the provider's side, rate limits, server faults. */
const TRANSIENT = new Set([408, 409, 425, 429]);

export function httpStatusError(
  provider: string,
  status: number,
  header: (name: string) => string | null | undefined,
  detail: string,
  cause?: unknown,
): AppError {
  const why = detail.trim() === "" ? "" : `: ${detail.trim().slice(0, 300)}`;
  const opts = cause === undefined ? {} : { cause };
  if (status === 401 || status === 403) {
    return new AppError("provider_auth", `${provider}: the API key was refused (HTTP ${status})${why}`, opts);
  }
  if (TRANSIENT.has(status) || status >= 500) {
    const after = retryAfterMs(header);
    return new AppError("provider_transient", `${provider}: temporary failure (HTTP ${status})${why}`, after === undefined ? opts : { ...opts, retryAfterMs: after });
  }
  return new AppError("provider_permanent", `${provider}: request refused (HTTP ${status})${why}`, opts);
}

/** No HTTP answer at all (DNS, refused or reset connection): worth a retry. */
export function connectionError(provider: string, err: unknown): AppError {
  const msg = err instanceof Error ? err.message : String(err);
  return new AppError("provider_transient", `${provider}: could not reach the service: ${msg}`, { cause: err });
}

// One mapping from a provider's HTTP answer to the error kinds the queue acts on, for every
// provider (OpenAI-compatible LLMs and voices, ElevenLabs) whatever SDK or fetch made the call.
import { AppError, type ErrorKind } from "../../errors.js";
import { retryAfterMs } from "./retry.js";

/** Status codes that mean "try again later": timeouts, conflicts on the provider's side, rate limits. */
const TRANSIENT = new Set([408, 409, 425, 429]);

/** The kind an HTTP status means; `code` is the provider's error code where it sends one. */
export function statusKind(status: number, code?: string | null): ErrorKind {
  if (status === 401 || status === 403) return "provider_auth";
  // A 429 for an exhausted quota will not clear by waiting.
  if (status === 429 && code === "insufficient_quota") return "provider_permanent";
  if (TRANSIENT.has(status) || status >= 500) return "provider_transient";
  return "provider_permanent";
}

export interface HttpFailure {
  provider: string;
  status: number;
  header: (name: string) => string | null | undefined;
  detail: string;
  code?: string | null | undefined;
  /** Added to an auth failure, e.g. "check OPENAI_API_KEY". */
  authHint?: string | undefined;
  cause?: unknown;
}

export function httpStatusError(f: HttpFailure): AppError {
  const why = f.detail.trim() === "" ? "" : `: ${f.detail.trim().slice(0, 300)}`;
  const opts = f.cause === undefined ? {} : { cause: f.cause };
  const kind = statusKind(f.status, f.code);
  if (kind === "provider_auth") {
    const hint = f.authHint ? ` — ${f.authHint}` : "";
    return new AppError(kind, `${f.provider}: the API key was refused (HTTP ${f.status})${why}${hint}`, opts);
  }
  if (kind === "provider_transient") {
    const after = retryAfterMs(f.header);
    const msg = `${f.provider}: temporary failure (HTTP ${f.status})${why}`;
    return new AppError(kind, msg, after === undefined ? opts : { ...opts, retryAfterMs: after });
  }
  return new AppError(kind, `${f.provider}: request refused (HTTP ${f.status})${why}`, opts);
}

/** No HTTP answer at all (DNS, refused or reset connection): worth a retry. */
export function connectionError(provider: string, err: unknown): AppError {
  const msg = err instanceof Error ? err.message : String(err);
  return new AppError("provider_transient", `${provider}: could not reach the service: ${msg}`, { cause: err });
}

// SDK errors → AppError kinds, after the SDK's own retries are spent. The kind decides what the
// queue does next: provider_transient (server down, timeouts, 5xx, throttling) retries the job
// later with backoff; auth and permanent errors (wrong key, missing bucket) fail it at once.
// The lists mirror the SDK's retry classification (@smithy/core, service-error-classification).
import { AppError, type ErrorKind } from "../../errors.js";

const TRANSIENT_NAMES = new Set([
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "RequestThrottled",
  "ServiceUnavailable",
  "InternalError",
]);
const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNABORTED",
  "ERR_STREAM_PREMATURE_CLOSE",
]);
const AUTH_NAMES = new Set([
  "AccessDenied",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "InvalidToken",
  "CredentialsProviderError",
]);

interface SdkErrorLike {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

export function s3ErrorKind(err: unknown, depth = 0): ErrorKind {
  const e = (err ?? {}) as SdkErrorLike;
  if (e.name === "AbortError") return "canceled";
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (TRANSIENT_NAMES.has(e.name ?? "") || TRANSIENT_CODES.has(e.code ?? "") || status >= 500 || status === 429) {
    return "provider_transient";
  }
  if (AUTH_NAMES.has(e.name ?? "") || status === 401 || status === 403) return "provider_auth";
  if (e.cause !== undefined && depth < 5) {
    const inner = s3ErrorKind(e.cause, depth + 1);
    if (inner !== "provider_permanent") return inner;
  }
  return "provider_permanent";
}

/** `what` names the call and key, e.g. "put episodes/x/audio.mp3"; no secret ever reaches it. */
export function s3Error(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as SdkErrorLike;
  const attempts = e.$metadata?.attempts;
  const status = e.$metadata?.httpStatusCode;
  const detail = [e.name && e.name !== "Error" ? e.name : e.code, e.message].filter(Boolean).join(": ") || String(err);
  const tries = attempts && attempts > 1 ? ` after ${attempts} attempts` : "";
  const http = status ? ` (HTTP ${status})` : "";
  return new AppError(s3ErrorKind(err), `artifact store (S3): ${what} failed${tries}${http}: ${detail}`, {
    cause: err,
  });
}

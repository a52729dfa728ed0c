// Errors carry a kind the caller can act on and a message a person can read.
// The queue decides retry from the kind alone; MCP tools turn them into isError results.

export type ErrorKind =
  | "invalid_input" // the caller's data breaks a rule: never retried
  | "not_found" // a named record does not exist: never retried
  | "conflict" // the record is in a state that forbids the action (e.g. retry a completed job)
  | "provider_auth" // an API key is missing or refused: never retried
  | "provider_permanent" // the provider refused the request for good (bad model, bad voice, 4xx)
  | "provider_transient" // 429, 5xx, timeouts, connection resets: retried with backoff
  | "canceled" // the job was canceled
  | "internal"; // a bug or an unexpected state: retried (it may be a passing fault)

/** A setting that cannot work: the program stops at start with this message, which names the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export class AppError extends Error {
  override name = "AppError";
  readonly kind: ErrorKind;
  /** The input field the error is about, when there is one (dotted path). */
  readonly field: string | undefined;
  /** A provider's Retry-After, in ms, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(kind: ErrorKind, message: string, opts: { field?: string; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.kind = kind;
    this.field = opts.field;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

export const invalidInput = (field: string, rule: string) =>
  new AppError("invalid_input", `${field}: ${rule}`, { field });
export const notFound = (what: string, id: string) => new AppError("not_found", `${what} not found: ${id}`);

/** Kinds worth another attempt. Everything else fails the job at once. */
export function isRetryableKind(kind: ErrorKind): boolean {
  return kind === "provider_transient" || kind === "internal";
}

export function errorKind(err: unknown): ErrorKind {
  if (err instanceof AppError) return err.kind;
  if (err instanceof Error && err.name === "AbortError") return "canceled";
  return "internal";
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** An unknown thrown value in one line for logs, without dumping whole SDK objects. */
export function describeError(err: unknown): string {
  return err instanceof AppError ? `${err.kind}: ${err.message}` : errorMessage(err);
}

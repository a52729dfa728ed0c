// Wraps one provider engine with the process-wide concurrency limit for that provider, a timeout
// per attempt and retries with backoff that honour Retry-After. Callers (the speech stage) see one
// TtsEngine and never retry by themselves; what still fails goes up to the job queue.
import type { Logger } from "../../log.js";
import type { Pcm, SpeechRequest, TtsEngine } from "../../core/model.js";
import { describeError } from "../../errors.js";
import { createLimiter, type Limiter } from "../../core/resilience/limiter.js";
import { withRetries } from "../../core/resilience/retry.js";
import { withTimeout } from "../../core/resilience/timeout.js";

export interface ResilienceOptions {
  /** Requests in flight to this provider from this process. Default: the engine's own `concurrency`. */
  concurrency?: number;
  /** Tries per synthesis, the first included. Default 4. */
  attempts?: number;
  /** Per attempt. Default 60 s (a long turn on a slow model takes tens of seconds). */
  timeoutMs?: number;
  baseDelayMs?: number; // default 500
  maxDelayMs?: number; // default 15 s
  /** A longer Retry-After is left to the job queue. Default 60 s. */
  maxRetryAfterMs?: number;
}

/**
 * One limiter per limiter key and process, shared by every engine built for it, so two jobs
 * running at once in a worker still respect the provider's limit together.
 */
const limiters = new Map<string, Limiter>();
function sharedLimiter(key: string, n: number): Limiter {
  let l = limiters.get(key);
  if (!l || l.limit !== n) {
    l = createLimiter(n);
    limiters.set(key, l);
  }
  return l;
}

export class ResilientTtsEngine implements TtsEngine {
  readonly provider: string;
  readonly concurrency: number;
  readonly #limiter: Limiter;
  readonly #attempts: number;
  readonly #timeoutMs: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #maxRetryAfterMs: number;

  readonly #inner: TtsEngine;
  readonly #log: Logger;
  constructor(inner: TtsEngine, limiterKey: string, log: Logger, opts: ResilienceOptions = {}) {
    this.#log = log;
    this.#inner = inner;
    this.provider = inner.provider;
    this.concurrency = opts.concurrency ?? inner.concurrency;
    this.#limiter = sharedLimiter(limiterKey, this.concurrency);
    this.#attempts = opts.attempts ?? 4;
    this.#timeoutMs = opts.timeoutMs ?? 60_000;
    this.#baseDelayMs = opts.baseDelayMs ?? 500;
    this.#maxDelayMs = opts.maxDelayMs ?? 15_000;
    this.#maxRetryAfterMs = opts.maxRetryAfterMs ?? 60_000;
  }

  checkVoice(voice: string, model: string): Promise<void> {
    // Voice lists are fetched over the network by some providers: same retries and per-attempt
    // timeout, no slot needed, and nothing to cancel (it is one small request before any work).
    return this.#retrying(new AbortController().signal, "voice check", (s) =>
      withTimeout(() => this.#inner.checkVoice(voice, model), this.#timeoutMs, s, `${this.provider} voice check`),
    );
  }

  synthesize(req: SpeechRequest, signal: AbortSignal): Promise<Pcm> {
    // The slot is held per attempt, not across the backoff sleep, so a waiting retry never blocks others.
    return this.#retrying(signal, "speech", (s) =>
      this.#limiter.run(
        () => withTimeout((t) => this.#inner.synthesize(req, t), this.#timeoutMs, s, `${this.provider} speech request`),
        s,
      ),
    );
  }

  #retrying<T>(signal: AbortSignal, what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return withRetries(() => fn(signal), {
      attempts: this.#attempts,
      baseDelayMs: this.#baseDelayMs,
      maxDelayMs: this.#maxDelayMs,
      maxRetryAfterMs: this.#maxRetryAfterMs,
      signal,
      what: `${this.provider} ${what}`,
      onRetry: ({ attempt, delayMs, error }) =>
        this.#log.warn(
          { provider: this.provider, attempt, delayMs, err: describeError(error) },
          `${this.provider} ${what} failed; retrying`,
        ),
    });
  }
}

// SurrealDB reports write conflicts with messages that differ by engine ("Write conflict … can be
// retried", "Resource busy"), and the SDK's isRetryableConflict() says false to all of them on
// 3.0.2. So every state change retries on its own, a bounded number of times, with jitter.

const CONFLICT = /conflict|can be retried|resource busy|transaction .*(retry|read.?only)|try again/i;

export function isConflict(err: unknown): boolean {
  return err instanceof Error && CONFLICT.test(err.message);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function withConflictRetry<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !isConflict(err)) throw err;
      await sleep(Math.random() * 5 * i);
    }
  }
}

/** Exponential backoff with full jitter in [delay/2, delay]. attempt is 1-based. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const d = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(d / 2 + Math.random() * (d / 2));
}

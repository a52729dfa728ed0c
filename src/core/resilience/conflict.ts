// Write conflicts: two writers on one key. SurrealDB words them differently by engine and version
// ("Write conflict … can be retried", "Resource busy", "Transaction conflict", "read-only
// transaction … retry"), and the SDK's isRetryableConflict() says false to all of them on 3.0.2, so
// every database write that can meet another writer goes through withConflictRetry, which knows
// all the wordings. One detector for the queue and the domain alike.
import { isRetryableConflict, type Surreal } from "surrealdb";
import { backoffMs } from "./backoff.js";
import { sleep } from "./sleep.js";

const CONFLICT = /conflict|can be retried|resource busy|transaction .*(retry|read.?only)|try again/i;

export function isConflict(err: unknown): boolean {
  return isRetryableConflict(err) || (err instanceof Error && CONFLICT.test(err.message));
}

/** Conflicts clear in milliseconds: 8 tries, 2.5–5 ms growing to 100–200 ms (≤ 0.6 s in all). */
export const CONFLICT_RETRY = { attempts: 8, baseDelayMs: 5, maxDelayMs: 200 } as const;

/** Runs fn, again after a short jittered wait when it lost a write conflict, up to `attempts` tries. */
export async function withConflictRetry<T>(
  fn: () => Promise<T>,
  attempts: number = CONFLICT_RETRY.attempts,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isConflict(err)) throw err;
      await sleep(backoffMs(attempt, CONFLICT_RETRY.baseDelayMs, CONFLICT_RETRY.maxDelayMs));
    }
  }
}

/** One query, its conflicts retried: every write that can meet another writer on the same record. */
export function writeRetrying<R extends unknown[] = unknown[]>(
  db: Surreal,
  sql: string,
  vars?: Record<string, unknown>,
): Promise<R> {
  return withConflictRetry(async () => (await db.query<R>(sql, vars).collect()) as R);
}

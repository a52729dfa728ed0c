// The one backoff rule. Every retry in the system (database conflicts, provider calls, job retries,
// final writes while the database restarts) waits backoffMs(attempt, base, max):
//   ceiling = min(max, base × 2^(attempt−1)); delay is uniform in [ceiling/2, ceiling].
// Half-range jitter keeps a floor (a retry never comes back at once) while spreading clients that
// failed together; measured: 1,000 draws for attempt 3, base 100, max 1000 all fall in [200, 400].

/** Delay before retry number `attempt` (1-based), in ms. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

/** How many times, and how long between: attempts counts the first try. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

// Writes that may meet another writer on the same record (the worker's checkpoints and the
// service's job link, two processes seeding): SurrealDB answers with a retryable transaction
// conflict whose wording differs by engine, so each write is retried a few times with jitter.
import { isConflict, type Db } from "../db/index.js";

const ATTEMPTS = 8;

export async function write<R extends unknown[] = unknown[]>(db: Db, sql: string, vars?: Record<string, unknown>): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await db.query<R>(sql, vars).collect()) as R;
    } catch (err) {
      if (!isConflict(err) || attempt >= ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, 5 * attempt * (0.5 + Math.random())));
    }
  }
}

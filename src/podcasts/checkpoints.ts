// Stage checkpoints live on the episode record (episode.checkpoints.<key>), so a new job for the
// same episode (retry_episode) starts from the first stage without one.
import type { RecordId } from "surrealdb";
import type { Db } from "../db/index.js";
import { write } from "./db-write.js";
import type { CheckpointStore } from "../pipeline/types.js";

export function episodeCheckpoints(db: Db, episode: RecordId): CheckpointStore {
  return {
    async get<T>(key: string): Promise<T | undefined> {
      const [value] = await db.query<[unknown]>("RETURN (SELECT VALUE checkpoints FROM ONLY $id)[$key]", { id: episode, key }).collect();
      return value === null || value === undefined ? undefined : (value as T);
    },
    async put<T>(key: string, value: T): Promise<void> {
      // JSON round trip: checkpoints are plain data; undefined members must not reach the CBOR encoder.
      const plain: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value));
      await write(db, "UPDATE $id SET checkpoints[$key] = $value, updated = time::now()", { id: episode, key, value: plain });
    },
  };
}

export async function clearCheckpoints(db: Db, episode: RecordId): Promise<void> {
  await write(db, "UPDATE $id SET checkpoints = {}, updated = time::now()", { id: episode });
}
